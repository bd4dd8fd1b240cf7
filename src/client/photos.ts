/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Progressive enhancement of the photo upload form (src/recensement/views/photos.tsx). Without this
 * script the form posts the chosen files as they are. With it, choosing photos sends them at once, one
 * by one: each is first shrunk in the browser to about 2000 px (a phone photo goes from ~5 MB to
 * ~0.5 MB, which matters on a church's weak network), then uploaded with a progress bar, and its
 * thumbnail is added to the list. The server checks and normalises every photo anyway.
 */

const LONG_SIDE = 2000;
const JPEG_QUALITY = 0.88;
/** Above this, decoding in the browser could exhaust a phone's memory: the server decides. */
const MAX_BYTES_TO_SHRINK = 40 * 1024 * 1024;
const MAX_PHOTOS = 10;

const MESSAGES = {
  aucunFichier: "Choisissez au moins une photo à envoyer.",
  reseau: "L’envoi a échoué : vérifiez votre connexion à internet puis réessayez.",
  session: "Votre session a expiré ou la page est trop ancienne : rechargez la page puis réessayez.",
  inattendu: "L’envoi a échoué. Réessayez dans quelques instants.",
};

type PhotoVue = { id: number; vignetteUrl: string; affichageUrl: string; width: number; height: number };
type Reponse = { photos: PhotoVue[]; erreurs: string[] };

function required<T extends Element>(root: ParentNode, selector: string): T {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return element;
}

function enhance(form: HTMLFormElement): void {
  const section = form.closest("[data-photos-recensement]") ?? document;
  const input = required<HTMLInputElement>(form, 'input[type="file"]');
  const group = required<HTMLElement>(form, "[data-photos-groupe]");
  const messages = required<HTMLElement>(form, "[data-photos-messages]");
  const progressBox = required<HTMLElement>(form, "[data-photos-progression]");
  const progress = required<HTMLProgressElement>(progressBox, "progress");
  const progressText = required<HTMLElement>(form, "[data-photos-progression-texte]");
  const button = required<HTMLButtonElement>(form, "[data-photos-bouton]");
  const list = required<HTMLElement>(section, "[data-photos-liste]");
  const count = section.querySelector<HTMLElement>("[data-photos-compte]");
  const template = section.querySelector<HTMLTemplateElement>("template[data-photo-modele]");
  let busy = false;
  let announced = -1;

  input.addEventListener("change", () => {
    if (input.files && input.files.length > 0) void send();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void send();
  });

  function showErrors(errors: string[]): void {
    messages.replaceChildren(
      ...errors.map((error) => {
        const p = document.createElement("p");
        p.className = "fr-message fr-message--error";
        p.textContent = error;
        return p;
      }),
    );
    group.classList.toggle("fr-upload-group--error", errors.length > 0);
  }

  function report(index: number, total: number, percent: number, preparing = false): void {
    progress.value = percent;
    // Screen readers hear every change of the live region: speak at most every 10 %.
    const step = preparing ? -1 : Math.floor(percent / 10);
    if (step === announced && !preparing) return;
    announced = step;
    progressText.textContent = preparing
      ? `Préparation de la photo ${index + 1} sur ${total}…`
      : `Envoi de la photo ${index + 1} sur ${total} : ${percent} %`;
  }

  async function send(): Promise<void> {
    if (busy) return;
    const files = Array.from(input.files ?? []);
    if (files.length === 0) {
      showErrors([MESSAGES.aucunFichier]);
      return;
    }
    busy = true;
    button.disabled = true;
    input.disabled = true;
    showErrors([]);
    progressBox.hidden = false;
    const errors: string[] = [];
    let added = 0;
    for (const [index, file] of files.entries()) {
      report(index, files.length, 0, true);
      const body = (await shrink(file).catch(() => null)) ?? file;
      announced = -1;
      report(index, files.length, 0);
      try {
        const answer = await upload(form.action, body, file.name, (percent) => report(index, files.length, percent));
        for (const photo of answer.photos) addThumbnail(photo);
        added += answer.photos.length;
        errors.push(...answer.erreurs);
      } catch (error) {
        errors.push(error instanceof Error ? error.message : MESSAGES.inattendu);
      }
    }
    input.value = "";
    input.disabled = false;
    button.disabled = false;
    busy = false;
    progressBox.hidden = true;
    progressText.textContent = added === 0 ? "" : added === 1 ? "La photo a été ajoutée." : `${added} photos ont été ajoutées.`;
    showErrors(errors);
    // At the maximum the page shows a notice instead of the form: let the server render it.
    if (list.children.length >= MAX_PHOTOS) window.location.reload();
  }

  function addThumbnail(photo: PhotoVue): void {
    const model = template?.content.firstElementChild;
    if (!model) {
      window.location.reload();
      return;
    }
    const n = list.children.length + 1;
    const item = model.cloneNode(true) as HTMLElement;
    item.dataset.photoId = String(photo.id);
    required<HTMLAnchorElement>(item, "[data-photo-lien]").href = photo.affichageUrl;
    const img = required<HTMLImageElement>(item, "[data-photo-vignette]");
    const scale = Math.min(1, 400 / Math.max(photo.width, photo.height));
    img.src = photo.vignetteUrl;
    img.alt = img.alt.replace(/^Photo 0 /, `Photo ${n} `);
    img.width = Math.round(photo.width * scale);
    img.height = Math.round(photo.height * scale);
    const remove = item.querySelector<HTMLFormElement>("[data-photo-supprimer]");
    if (remove) remove.action = remove.action.replace(/\/0\/supprimer$/, `/${photo.id}/supprimer`);
    const number = item.querySelector("[data-photo-numero]");
    if (number) number.textContent = ` la photo ${n}`;
    list.append(item);
    if (count) count.textContent = `${n} photo${n > 1 ? "s" : ""} sur ${MAX_PHOTOS} au plus.`;
  }
}

/**
 * A JPEG of about 2000 px on the long side, upright (the EXIF orientation is applied when decoding);
 * null when the photo is already small enough or the browser cannot decode it (HEIC outside Safari):
 * the original is then sent and the server does the work.
 */
async function shrink(file: File): Promise<Blob | null> {
  if (file.size > MAX_BYTES_TO_SHRINK || typeof createImageBitmap !== "function") return null;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return null;
  }
  try {
    const scale = LONG_SIDE / Math.max(bitmap.width, bitmap.height);
    if (scale >= 1) return null;
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d");
    if (!context) return null;
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    // A re-encoded photo larger than its original (a small, very compressed file) is not worth it.
    return blob && blob.size < file.size ? blob : null;
  } finally {
    bitmap.close();
  }
}

function upload(url: string, body: Blob, name: string, onProgress: (percent: number) => void): Promise<Reponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.min(100, Math.round((event.loaded / event.total) * 100)));
    });
    xhr.addEventListener("load", () => {
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // An HTML page: the session ended (login page after a redirect) or the CSRF token expired.
      }
      const answer = (json ?? {}) as { photos?: PhotoVue[]; errors?: string[]; error?: string };
      if (xhr.status === 201 && Array.isArray(answer.photos)) resolve({ photos: answer.photos, erreurs: answer.errors ?? [] });
      else if (typeof answer.error === "string") reject(new Error(answer.error));
      else reject(new Error(xhr.status === 403 || json === null ? MESSAGES.session : MESSAGES.inattendu));
    });
    xhr.addEventListener("error", () => reject(new Error(MESSAGES.reseau)));
    xhr.addEventListener("timeout", () => reject(new Error(MESSAGES.reseau)));
    const data = new FormData();
    // The original name, whatever the content: the server decides the format from the bytes.
    data.append("photos", body, name);
    xhr.send(data);
  });
}

for (const form of document.querySelectorAll<HTMLFormElement>("form[data-photos-envoi]")) enhance(form);
