/**
 * The login form (`#login`, issue 9): name, password, Connect or Create character. It types
 * `connect <name> <password>` (or `create …`) into the same login dialog as every other door
 * (src/world/login-dialog.ts), so nothing about logging in is special to the browser. The
 * password never echoes, never enters history or storage: the output shows
 * `connect <name> ********`, and the field is emptied once sent.
 */

/** The form's elements. */
export interface LoginFormElements {
  readonly form: HTMLFormElement;
  readonly name: HTMLInputElement;
  readonly password: HTMLInputElement;
  readonly error: HTMLElement;
}

/** What the form asks the page to do. */
export interface LoginRequest {
  readonly verb: "connect" | "create";
  readonly name: string;
  /** Sent once, then forgotten. */
  readonly password: string;
}

/**
 * Checks what the form holds before sending; returns the error to show, or the request. The
 * login dialog wants one word each (a password with a space would be read as three words).
 */
export function checkLogin(verb: "connect" | "create", name: string, password: string): LoginRequest | string {
  const trimmed = name.trim();
  if (trimmed === "") return "Type your character's name.";
  if (/\s/.test(trimmed)) return "A name is one word.";
  if (password === "") return "Type your password.";
  if (/\s/.test(password)) return "A password is one word, without spaces.";
  return { verb, name: trimmed, password };
}

/** The login form: shown until the character is in, hidden after. */
export class LoginForm {
  readonly #el: LoginFormElements;

  /** `submit` sends the request (at once, or as soon as the page is connected). */
  constructor(elements: LoginFormElements, submit: (request: LoginRequest) => void) {
    this.#el = elements;
    elements.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter.value : "connect";
      const checked = checkLogin(submitter === "create" ? "create" : "connect", elements.name.value, elements.password.value);
      if (typeof checked === "string") {
        this.#showError(checked);
        return;
      }
      submit(checked);
      this.#showError("");
      elements.password.value = "";
    });
  }

  /** Shows the form (not logged in) or hides it (logged in, or resuming). */
  show(shown: boolean): void {
    if (this.#el.form.hidden !== shown) return;
    const hadFocus = this.#el.form.contains(document.activeElement);
    this.#el.form.hidden = !shown;
    if (!shown) {
      this.#el.password.value = "";
      this.#showError("");
    }
    // Focus follows: into the form when it appears on an idle page, out of it when it goes.
    if (!shown && hadFocus) document.getElementById("command")?.focus();
  }

  /** Puts the cursor in the name field (or the password, when a name is there). */
  focus(): void {
    (this.#el.name.value.trim() === "" ? this.#el.name : this.#el.password).focus();
  }

  #showError(text: string): void {
    this.#el.error.textContent = text;
  }
}
