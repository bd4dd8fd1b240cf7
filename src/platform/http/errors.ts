/** Domain errors carry a French message shown to the user and map to one HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly title: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.") {
    super(404, message, "Page non trouvée");
  }
}

export class BadRequestError extends HttpError {
  constructor(message = "La demande est mal formée : vérifiez l’adresse ou les informations saisies.") {
    super(400, message, "Demande invalide");
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = "Vous n’avez pas le droit de faire cette action.") {
    super(403, message, "Accès refusé");
  }
}

/** The person may do this in general, but not in the record's current state (a dossier already sent…). */
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message, "Action impossible");
  }
}
