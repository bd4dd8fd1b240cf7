import type { ComponentChildren } from "preact";

/** Hidden CSRF token: every POST form carries one (multipart forms send it in the action's query string). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

type InputProps = {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value?: string | null;
  type?: "text" | "email" | "tel";
  autocomplete?: string;
  required?: boolean;
  inputMode?: "numeric" | "email" | "tel" | "text";
  pattern?: string;
  maxLength?: number;
  readOnly?: boolean;
  /** Codes and names: no spell check, optional upper-case keyboard. */
  autoCapitalize?: "characters" | "off";
  spellCheck?: boolean;
  /** Extra class of the input, e.g. a width. */
  inputClass?: string;
};

export function InputGroup(props: InputProps) {
  const described = [props.hint ? `${props.id}-hint` : null, props.error ? `${props.id}-error` : null].filter(Boolean).join(" ");
  return (
    <div class={`fr-input-group${props.error ? " fr-input-group--error" : ""}`}>
      <label class="fr-label" for={props.id}>
        {props.label}
        {props.hint ? (
          <span class="fr-hint-text" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
      <input
        class={`fr-input${props.error ? " fr-input--error" : ""}${props.inputClass ? ` ${props.inputClass}` : ""}`}
        id={props.id}
        name={props.name}
        // The cast picks one member of preact's input-type union; typescript-eslint wrongly reports it as unnecessary.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? "text") as "text"}
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required}
        inputMode={props.inputMode}
        pattern={props.pattern}
        maxLength={props.maxLength}
        readOnly={props.readOnly}
        autoCapitalize={props.autoCapitalize}
        spellcheck={props.spellCheck}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={described || undefined}
      />
      {props.error ? (
        <p class="fr-error-text" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** DSFR password field with its "Afficher" toggle (enhancement: the field works without JS). */
export function PasswordField(props: {
  id: string;
  name: string;
  label: string;
  autocomplete: "current-password" | "new-password";
  error?: string | undefined;
  hint?: string;
  children?: ComponentChildren;
}) {
  const messagesId = `${props.id}-messages`;
  return (
    <div class={`fr-password${props.error ? " fr-input-group--error" : ""}`} id={`${props.id}-group`}>
      <label class="fr-label" for={props.id}>
        {props.label}
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </label>
      <div class="fr-input-wrap">
        <input
          class={`fr-password__input fr-input${props.error ? " fr-input--error" : ""}`}
          id={props.id}
          name={props.name}
          type="password"
          autocomplete={props.autocomplete}
          required
          aria-required="true"
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={messagesId}
        />
      </div>
      <div class="fr-messages-group" id={messagesId} aria-live="polite">
        {props.error ? <p class="fr-message fr-message--error">{props.error}</p> : null}
      </div>
      <div class="fr-password__checkbox fr-checkbox-group fr-checkbox-group--sm">
        <input aria-label="Afficher le mot de passe" id={`${props.id}-show`} type="checkbox" />
        <label class="fr-password__checkbox fr-label" for={`${props.id}-show`}>
          Afficher
        </label>
      </div>
      {props.children}
    </div>
  );
}

export function Checkbox(props: { id: string; name: string; label: string; checked: boolean; hint?: string }) {
  return (
    <div class="fr-checkbox-group">
      <input
        name={props.name}
        id={props.id}
        type="checkbox"
        value="1"
        checked={props.checked}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      <label class="fr-label" for={props.id}>
        {props.label}
        {props.hint ? (
          <span class="fr-hint-text" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
    </div>
  );
}

export function Alert(props: { type: "error" | "info" | "success" | "warning"; title?: string; children: ComponentChildren }) {
  return (
    <div class={`fr-alert fr-alert--${props.type} fr-mb-3w`} role={props.type === "error" ? "alert" : undefined}>
      {props.title ? <h2 class="fr-alert__title">{props.title}</h2> : null}
      {props.children}
    </div>
  );
}
