import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { findPreferenceAlertes, updatePreferenceAlertes } from "../alertes/repository.ts";
import type { AppContext } from "../context.ts";
import { audit } from "../platform/audit.ts";
import { parseInput } from "../platform/http/params.ts";
import { enforceRateLimits, hashedKeyPart } from "../platform/http/rate-limit.ts";
import { sendPage } from "../ui/page.tsx";
import { actorOf, communeOf, conservateurOf } from "./access.ts";
import {
  authenticate,
  changePassword,
  checkPasswordLink,
  forgetAgent,
  rememberAgent,
  requestPasswordLink,
  resetPassword,
} from "./agent-login.ts";
import { sendLoginCode, verifyLoginCode } from "./commune-login.ts";
import { setImpersonationMode, startImpersonation, stopImpersonation } from "./impersonation.ts";
import {
  findCommuneForLogin,
  findCommuneUserPreferences,
  findConservateurIdentity,
  findConservateurProfile,
  findDepartement,
  hasCompletedRecensement,
  latestLoginCode,
  listCommunesOfDepartement,
  listDepartements,
  setCommuneUserNotifications,
  updateConservateurProfile,
  type AgentType,
} from "./repository.ts";
import {
  communeLanding,
  communeNotificationsMessage,
  conservateurLanding,
  conservateurPreferencesMessage,
  loginCodeMessage,
  loginCodeState,
  normalizeCodeInput,
  passwordErrors,
  passwordTokenMessage,
  safeReturnPath,
} from "./rules.ts";
import { REMEMBER_COOKIE, addFlash, closeSession, openSession, redirectWithFlash, sessionAccount, takeReturnPath } from "./session.ts";
import { AGENT_PATHS, PasswordEditPage, PasswordRequestPage, SignInPage } from "./views/agent-login.tsx";
import { CodeEntryPage, CommuneLoginPage } from "./views/commune-login.tsx";
import { CommunePreferencesPage, ConservateurAccountPage, type AccountErrors } from "./views/preferences.tsx";

const CODE_INSEE = /^[0-9][0-9AB][0-9]{3}$/;
const DEPARTEMENT = /^([0-9]{2}|2A|2B|97[1-6])$/;
/** An empty select or field counts as "not chosen". */
const optional = (schema: z.ZodString) => z.union([schema, z.literal("").transform(() => undefined)]).optional();
const checkbox = z.literal("1").optional();
const field = (max: number) => z.string().max(max).default("");

const anonymousOnly = { access: { kind: "anonymous_only" } } as const;
const MINUTE = 60;
const LIMITS = {
  codeRequestPerIp: { limit: 10, windowSeconds: 15 * MINUTE },
  codeRequestPerCommune: { limit: 5, windowSeconds: 60 * MINUTE },
  codeVerifyPerIp: { limit: 20, windowSeconds: 15 * MINUTE },
  signInPerIp: { limit: 20, windowSeconds: 15 * MINUTE },
  signInPerEmail: { limit: 10, windowSeconds: 15 * MINUTE },
  passwordLinkPerIp: { limit: 10, windowSeconds: 60 * MINUTE },
  passwordLinkPerEmail: { limit: 5, windowSeconds: 60 * MINUTE },
  passwordChangePerAccount: { limit: 10, windowSeconds: 15 * MINUTE },
};

/** The limit for this server: LOGIN_RATE_LIMIT_SCALE raises it for browser test runs only. */
function scaled(rule: { limit: number; windowSeconds: number }, ctx: AppContext): { limit: number; windowSeconds: number } {
  return { ...rule, limit: rule.limit * ctx.config.loginRateLimitScale };
}

export async function comptesRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  communeLoginRoutes(app, ctx);
  for (const type of ["conservateur", "admin"] as const) agentLoginRoutes(app, ctx, type);
  signOutRoute(app, ctx);
  impersonationRoutes(app, ctx);
  accountRoutes(app, ctx);
}

function communeLoginRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get("/communes/connexion", { config: anonymousOnly }, async (request, reply) => {
    const query = parseInput(
      z.object({ departement: optional(z.string().regex(DEPARTEMENT)), code_insee: optional(z.string().regex(CODE_INSEE)) }),
      request.query,
    );
    const commune = query.code_insee ? await findCommuneForLogin(db, query.code_insee) : undefined;
    if (query.code_insee && (!commune || (query.departement && commune.departementCode !== query.departement))) {
      return redirectWithFlash(request, reply, "/communes/connexion", {
        type: "error",
        message: "Cette commune n’est pas sur Collectif Objets : choisissez d’abord votre département, puis votre commune.",
      });
    }
    const departementCode = commune?.departementCode ?? query.departement;
    const departement = departementCode ? await findDepartement(db, departementCode) : undefined;
    if (departementCode && !departement) return reply.redirect("/communes/connexion", 303);
    const [departements, communes] = await Promise.all([
      departement ? [] : listDepartements(db),
      departement && !commune ? listCommunesOfDepartement(db, departement.code) : [],
    ]);
    return sendPage(
      request,
      reply,
      { title: "Connexion commune", breadcrumbs: [{ href: "/", label: "Accueil" }, { label: "Connexion commune" }] },
      <CommuneLoginPage
        departements={departements}
        departement={departement}
        communes={communes}
        commune={commune}
        csrfToken={reply.generateCsrf()}
      />,
    );
  });

  app.post("/communes/connexion", { config: anonymousOnly }, async (request, reply) => {
    const body = parseInput(z.object({ code_insee: optional(z.string().regex(CODE_INSEE)) }), request.body);
    if (!body.code_insee)
      return redirectWithFlash(request, reply, "/communes/connexion", { type: "error", message: "Choisissez votre commune." });
    await enforceRateLimits(db, [
      { key: `login-code-request:ip:${request.ip}`, rule: scaled(LIMITS.codeRequestPerIp, ctx) },
      { key: `login-code-request:commune:${body.code_insee}`, rule: scaled(LIMITS.codeRequestPerCommune, ctx) },
    ]);
    const commune = await findCommuneForLogin(db, body.code_insee);
    if (!commune?.user) {
      return redirectWithFlash(request, reply, `/communes/connexion${commune ? `?code_insee=${commune.codeInsee}` : ""}`, {
        type: "error",
        message: "Aucun compte n’est associé à cette commune : nous ne pouvons pas lui envoyer de code de connexion.",
      });
    }
    const { resent } = await sendLoginCode(db, ctx.config, { ...commune, user: commune.user }, request.ip);
    return redirectWithFlash(request, reply, `/communes/connexion/code?code_insee=${commune.codeInsee}`, {
      type: "success",
      message: resent
        ? `Votre code de connexion, toujours valable, vient d’être renvoyé à ${commune.user.email}.`
        : `Un code de connexion vient d’être envoyé à ${commune.user.email}.`,
    });
  });

  const codeQuery = z.object({ code_insee: optional(z.string().regex(CODE_INSEE)), code: optional(z.string().max(64)) });

  app.get("/communes/connexion/code", { config: anonymousOnly }, async (request, reply) => {
    const query = parseInput(codeQuery, request.query);
    if (!query.code_insee) return reply.redirect("/communes/connexion", 303);
    const commune = await findCommuneForLogin(db, query.code_insee);
    if (!commune?.user) {
      return redirectWithFlash(request, reply, "/communes/connexion", {
        type: "error",
        message: "Aucun compte n’est associé à cette commune.",
      });
    }
    const latest = await latestLoginCode(db, commune.user.id);
    return renderCodeEntry(
      request,
      reply,
      { ...commune, user: commune.user },
      {
        codeSent: latest !== null && loginCodeState(latest, new Date()) === "valid",
        code: normalizeCodeInput(query.code ?? "").slice(0, 6),
        error: undefined,
      },
    );
  });

  app.post("/communes/connexion/code", { config: anonymousOnly }, async (request, reply) => {
    const body = parseInput(codeQuery, request.body);
    await enforceRateLimits(db, [{ key: `login-code-verify:ip:${request.ip}`, rule: scaled(LIMITS.codeVerifyPerIp, ctx) }]);
    if (!body.code_insee)
      return redirectWithFlash(request, reply, "/communes/connexion", { type: "error", message: "Choisissez votre commune." });
    const commune = await findCommuneForLogin(db, body.code_insee);
    if (!commune?.user) {
      return redirectWithFlash(request, reply, "/communes/connexion", {
        type: "error",
        message: "Commune inconnue : aucun compte n’est associé à cette commune.",
      });
    }
    const withUser = { ...commune, user: commune.user };
    const code = normalizeCodeInput(body.code ?? "");
    if (!code) {
      return renderCodeEntry(
        request,
        reply,
        withUser,
        { codeSent: false, code: "", error: "Saisissez le code de connexion reçu par email." },
        422,
      );
    }
    const check = await verifyLoginCode(db, withUser, code, request.ip);
    if (check.outcome !== "ok")
      return renderCodeEntry(request, reply, withUser, { codeSent: false, code, error: loginCodeMessage(check) }, 422);
    const returnTo = takeReturnPath(request);
    openSession(request, "commune", commune.user.id);
    const landing = communeLanding(commune.codeInsee, await hasCompletedRecensement(db, commune.id), safeReturnPath(returnTo));
    return redirectWithFlash(request, reply, landing, { type: "success", message: "Vous êtes maintenant connecté•e." });
  });
}

function renderCodeEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  commune: Parameters<typeof CodeEntryPage>[0]["commune"],
  state: { codeSent: boolean; code: string; error: string | undefined },
  statusCode = 200,
) {
  return sendPage(
    request,
    reply,
    {
      title: state.error ? "Erreur : code de connexion" : "Code de connexion",
      statusCode,
      breadcrumbs: [
        { href: "/", label: "Accueil" },
        { href: "/communes/connexion", label: "Connexion commune" },
        { label: "Code de connexion" },
      ],
    },
    <CodeEntryPage commune={commune} codeSent={state.codeSent} code={state.code} error={state.error} csrfToken={reply.generateCsrf()} />,
  );
}

async function agentLanding(ctx: AppContext, type: AgentType, id: number): Promise<string> {
  if (type === "admin") return "/admin";
  const identity = await findConservateurIdentity(ctx.database.db, id);
  return conservateurLanding(identity?.departementCodes ?? []);
}

function agentLoginRoutes(app: FastifyInstance, ctx: AppContext, type: AgentType): void {
  const db = ctx.database.db;
  const paths = AGENT_PATHS[type];
  const title = type === "admin" ? "Connexion admin" : "Connexion conservateur";

  app.get(paths.signIn, { config: anonymousOnly }, async (request, reply) =>
    sendPage(request, reply, { title }, <SignInPage type={type} email="" error={undefined} remember csrfToken={reply.generateCsrf()} />),
  );

  app.post(paths.signIn, { config: anonymousOnly }, async (request, reply) => {
    const body = parseInput(z.object({ email: field(320), password: field(1024), remember: checkbox }), request.body);
    await enforceRateLimits(db, [
      { key: `sign-in:ip:${request.ip}`, rule: scaled(LIMITS.signInPerIp, ctx) },
      { key: `sign-in:${type}:${hashedKeyPart(body.email)}`, rule: scaled(LIMITS.signInPerEmail, ctx) },
    ]);
    const agent = await authenticate(db, type, body.email, body.password, request.ip);
    if (!agent) {
      return sendPage(
        request,
        reply,
        { title: `Erreur : ${title}`, statusCode: 422 },
        <SignInPage
          type={type}
          email={body.email}
          error="Email ou mot de passe incorrect."
          remember={body.remember === "1"}
          csrfToken={reply.generateCsrf()}
        />,
      );
    }
    openSession(request, type, agent.id);
    if (body.remember === "1") {
      const { token, maxAgeSeconds } = await rememberAgent(db, type, agent.id);
      reply.setCookie(REMEMBER_COOKIE, token, {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.env === "production",
        maxAge: maxAgeSeconds,
      });
    }
    return redirectWithFlash(request, reply, await agentLanding(ctx, type, agent.id), {
      type: "success",
      message: "Vous êtes connecté•e.",
    });
  });

  app.get(paths.passwordNew, { config: anonymousOnly }, async (request, reply) =>
    sendPage(
      request,
      reply,
      { title: "Mot de passe oublié", breadcrumbs: [{ href: paths.signIn, label: title }, { label: "Mot de passe oublié" }] },
      <PasswordRequestPage type={type} email="" error={undefined} csrfToken={reply.generateCsrf()} />,
    ),
  );

  app.post(paths.passwordNew, { config: anonymousOnly }, async (request, reply) => {
    const body = parseInput(z.object({ email: field(320) }), request.body);
    const email = body.email.trim();
    if (!z.email().safeParse(email).success) {
      return sendPage(
        request,
        reply,
        { title: "Erreur : mot de passe oublié", statusCode: 422 },
        <PasswordRequestPage
          type={type}
          email={body.email}
          error="Saisissez une adresse email valide, par exemple prenom.nom@culture.gouv.fr."
          csrfToken={reply.generateCsrf()}
        />,
      );
    }
    await enforceRateLimits(db, [
      { key: `password-link:ip:${request.ip}`, rule: scaled(LIMITS.passwordLinkPerIp, ctx) },
      { key: `password-link:${type}:${hashedKeyPart(email)}`, rule: scaled(LIMITS.passwordLinkPerEmail, ctx) },
    ]);
    await requestPasswordLink(db, ctx.config, type, email, request.ip);
    return redirectWithFlash(request, reply, paths.signIn, {
      type: "info",
      message: `Si un compte correspond à l’adresse ${email}, un email vient de lui être envoyé avec un lien pour définir son mot de passe, valable 6 heures. Pensez à vérifier vos courriers indésirables.`,
    });
  });

  const tokenSchema = z.object({ token: optional(z.string().max(200)) });

  app.get(paths.passwordEdit, { config: anonymousOnly }, async (request, reply) => {
    const { token = "" } = parseInput(tokenSchema, request.query);
    const link = await checkPasswordLink(db, type, token);
    if (link.state !== "valid")
      return redirectWithFlash(request, reply, paths.passwordNew, { type: "error", message: passwordTokenMessage(link.state) });
    return sendPage(
      request,
      reply,
      { title: "Définir votre mot de passe" },
      <PasswordEditPage type={type} token={token} errors={{}} csrfToken={reply.generateCsrf()} />,
    );
  });

  app.post(paths.passwordEdit, { config: anonymousOnly }, async (request, reply) => {
    const body = parseInput(tokenSchema.extend({ password: field(1024), password_confirmation: field(1024) }), request.body);
    const token = body.token ?? "";
    const link = await checkPasswordLink(db, type, token);
    if (link.state !== "valid")
      return redirectWithFlash(request, reply, paths.passwordNew, { type: "error", message: passwordTokenMessage(link.state) });
    const errors = passwordErrors(body.password, body.password_confirmation);
    if (errors.password || errors.confirmation) {
      return sendPage(
        request,
        reply,
        { title: "Erreur : définir votre mot de passe", statusCode: 422 },
        <PasswordEditPage type={type} token={token} errors={errors} csrfToken={reply.generateCsrf()} />,
      );
    }
    if (!(await resetPassword(db, type, link, body.password, request.ip))) {
      return redirectWithFlash(request, reply, paths.passwordNew, { type: "error", message: passwordTokenMessage("used") });
    }
    openSession(request, type, link.accountId);
    return redirectWithFlash(request, reply, await agentLanding(ctx, type, link.accountId), {
      type: "success",
      message: "Votre mot de passe a bien été modifié. Vous êtes maintenant connecté•e.",
    });
  });
}

function signOutRoute(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  app.post("/deconnexion", { config: { access: { kind: "signed_in" } } }, async (request, reply) => {
    const account = sessionAccount(request);
    if (account && account.type !== "commune") {
      await stopImpersonation(db, request);
      await forgetAgent(db, account.type, account.id);
    }
    reply.clearCookie(REMEMBER_COOKIE, { path: "/" });
    if (account) await audit(db, { actor: { type: account.type, id: account.id }, action: `${account.type}.sign_out`, ip: request.ip });
    closeSession(request);
    return redirectWithFlash(request, reply, "/", { type: "success", message: "Vous êtes déconnecté•e." });
  });
}

function impersonationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const driving = { access: { kind: "admin", keepImpersonation: true } } as const;

  app.post<{ Params: { code_insee: string } }>("/admin/communes/:code_insee/incarner", { config: driving }, async (request, reply) => {
    const { code_insee } = parseInput(z.object({ code_insee: z.string().regex(CODE_INSEE) }), request.params);
    const commune = await findCommuneForLogin(db, code_insee);
    if (!commune?.user) {
      return redirectWithFlash(request, reply, "/admin/communes", {
        type: "error",
        message: "Cette commune n’a pas de compte : impossible de l’incarner.",
      });
    }
    await startImpersonation(db, request, { type: "commune", id: commune.user.id, communeId: commune.id });
    return redirectWithFlash(request, reply, `/communes/${commune.codeInsee}/objets`, {
      type: "info",
      message: `Vous incarnez la commune de ${commune.nom} en mode lecture seule.`,
    });
  });

  app.post<{ Params: { id: string } }>("/admin/conservateurs/:id/incarner", { config: driving }, async (request, reply) => {
    const { id } = parseInput(z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }), request.params);
    const conservateur = await findConservateurIdentity(db, id);
    if (!conservateur)
      return redirectWithFlash(request, reply, "/admin/conservateurs", { type: "error", message: "Ce compte conservateur n’existe plus." });
    await startImpersonation(db, request, { type: "conservateur", id });
    return redirectWithFlash(request, reply, conservateurLanding(conservateur.departementCodes), {
      type: "info",
      message: `Vous incarnez ${conservateur.displayName} en mode lecture seule.`,
    });
  });

  app.post("/admin/incarnation/mode", { config: driving }, async (request, reply) => {
    const body = parseInput(z.object({ mode: z.enum(["lecture", "ecriture"]), retour: optional(z.string().max(2000)) }), request.body);
    const switched = await setImpersonationMode(db, request, body.mode === "ecriture");
    if (!switched) return redirectWithFlash(request, reply, "/admin", { type: "info", message: "Vous n’incarnez personne." });
    return redirectWithFlash(request, reply, safeReturnPath(body.retour) ?? "/", {
      type: "info",
      message: body.mode === "ecriture" ? "Mode écriture : vos actions modifient les données du compte incarné." : "Mode lecture seule.",
    });
  });

  app.post("/admin/incarnation/arreter", { config: driving }, async (request, reply) => {
    const target = request.identity;
    const message = await stopImpersonation(db, request);
    const to =
      target.kind === "commune"
        ? `/admin/communes/${target.codeInsee}`
        : target.kind === "conservateur"
          ? "/admin/conservateurs"
          : "/admin";
    return redirectWithFlash(request, reply, to, { type: "info", message });
  });
}

function accountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const communeRule = { access: { kind: "commune", param: "code_insee" } } as const;
  const conservateurRule = { access: { kind: "conservateur" } } as const;

  app.get("/communes/:code_insee/preferences", { config: communeRule }, async (request, reply) => {
    const identity = communeOf(request);
    const preferences = await findCommuneUserPreferences(db, identity.communeUserId);
    return sendPage(
      request,
      reply,
      {
        title: "Préférences",
        breadcrumbs: [{ href: `/communes/${identity.codeInsee}/objets`, label: identity.nom }, { label: "Préférences" }],
      },
      <CommunePreferencesPage
        commune={identity}
        email={preferences.email}
        notifications={preferences.messages_mail_notifications}
        csrfToken={reply.generateCsrf()}
      />,
    );
  });

  app.post("/communes/:code_insee/preferences", { config: communeRule }, async (request, reply) => {
    const identity = communeOf(request);
    const body = parseInput(z.object({ messages_mail_notifications: checkbox }), request.body);
    const enabled = body.messages_mail_notifications === "1";
    const before = await findCommuneUserPreferences(db, identity.communeUserId);
    await setCommuneUserNotifications(db, identity.communeUserId, enabled);
    await audit(db, {
      actor: actorOf(identity),
      action: "commune.preferences_updated",
      subject: { type: "commune_user", id: identity.communeUserId },
      communeId: identity.communeId,
      before: { messages_mail_notifications: before.messages_mail_notifications },
      after: { messages_mail_notifications: enabled },
      ip: request.ip,
    });
    return redirectWithFlash(request, reply, `/communes/${identity.codeInsee}/preferences`, {
      type: "success",
      message: communeNotificationsMessage(enabled),
    });
  });

  app.get("/conservateurs/compte", { config: conservateurRule }, async (request, reply) => {
    const identity = conservateurOf(request);
    return renderAccount(request, reply, await findConservateurProfile(db, identity.id), {}, await findPreferenceAlertes(db, identity.id));
  });

  const profileSchema = z.object({
    first_name: field(100),
    last_name: field(100),
    phone_number: field(40),
    messages_mail_notifications: checkbox,
    send_recap: checkbox,
    alertes_mail_notifications: checkbox,
  });

  app.post("/conservateurs/compte", { config: conservateurRule }, async (request, reply) => {
    const identity = conservateurOf(request);
    const body = parseInput(profileSchema, request.body);
    const before = await findConservateurProfile(db, identity.id);
    const profile = {
      firstName: body.first_name.trim(),
      lastName: body.last_name.trim(),
      phoneNumber: body.phone_number.trim() || null,
      messagesMailNotifications: body.messages_mail_notifications === "1",
      sendRecap: body.send_recap === "1",
    };
    const errors: AccountErrors = {};
    if (!profile.firstName) errors.firstName = "Saisissez votre prénom.";
    if (!profile.lastName) errors.lastName = "Saisissez votre nom.";
    if (profile.phoneNumber && !/^\+?[0-9 .()-]{6,30}$/.test(profile.phoneNumber)) {
      errors.phoneNumber = "Saisissez un numéro de téléphone valide, par exemple 01 23 45 67 89.";
    }
    const alertes = body.alertes_mail_notifications === "1";
    const alertesAvant = await findPreferenceAlertes(db, identity.id);
    if (Object.keys(errors).length > 0) return renderAccount(request, reply, { ...before, ...profile }, errors, alertes, 422);
    await updateConservateurProfile(db, identity.id, profile);
    await updatePreferenceAlertes(db, identity.id, alertes);
    const { email: _email, ...beforeProfile } = before;
    await audit(db, {
      actor: actorOf(identity),
      action: "conservateur.profile_updated",
      subject: { type: "conservateur", id: identity.id },
      before: { ...beforeProfile, alertesMailNotifications: alertesAvant },
      after: { ...profile, alertesMailNotifications: alertes },
      ip: request.ip,
    });
    return redirectWithFlash(request, reply, "/conservateurs/compte", {
      type: "success",
      message: conservateurPreferencesMessage(profile.messagesMailNotifications, profile.sendRecap),
    });
  });

  app.post("/conservateurs/compte/mot-de-passe", { config: conservateurRule }, async (request, reply) => {
    const identity = conservateurOf(request);
    const body = parseInput(
      z.object({ current_password: field(1024), password: field(1024), password_confirmation: field(1024) }),
      request.body,
    );
    await enforceRateLimits(db, [
      { key: `password-change:conservateur:${identity.id}`, rule: scaled(LIMITS.passwordChangePerAccount, ctx) },
    ]);
    const errors: AccountErrors = passwordErrors(body.password, body.password_confirmation);
    if (!body.current_password) errors.currentPassword = "Saisissez votre mot de passe actuel.";
    const valid = !errors.password && !errors.confirmation && !errors.currentPassword;
    if (
      valid &&
      (await changePassword(db, "conservateur", identity.id, body.current_password, body.password, {
        impersonatorAdminId: identity.impersonation?.byAdminId ?? null,
        ip: request.ip,
      }))
    ) {
      return redirectWithFlash(request, reply, "/conservateurs/compte", {
        type: "success",
        message: "Votre mot de passe a bien été modifié.",
      });
    }
    if (valid) errors.currentPassword = "Le mot de passe actuel est incorrect.";
    return renderAccount(
      request,
      reply,
      await findConservateurProfile(db, identity.id),
      errors,
      await findPreferenceAlertes(db, identity.id),
      422,
    );
  });
}

function renderAccount(
  request: FastifyRequest,
  reply: FastifyReply,
  profile: Awaited<ReturnType<typeof findConservateurProfile>>,
  errors: AccountErrors,
  alertes: boolean,
  statusCode = 200,
) {
  const hasErrors = Object.keys(errors).length > 0;
  if (hasErrors) addFlash(request, { type: "error", message: "Le formulaire contient des erreurs : corrigez les champs signalés." });
  return sendPage(
    request,
    reply,
    { title: hasErrors ? "Erreur : mon compte" : "Mon compte", statusCode },
    <ConservateurAccountPage profile={profile} alertes={alertes} errors={errors} csrfToken={reply.generateCsrf()} />,
  );
}
