/**
 * The buttons the panels are made of: a click sends `data-command` as if typed (client.ts
 * listens on the panels once, by delegation). Text only through `textContent` (hardening E11).
 */

/** A `<button type="button" data-command=…>` showing `label`. */
export function commandButton(label: string, command: string, className: string): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = className;
  button.dataset["command"] = command;
  button.textContent = label;
  return button;
}

/** An `<li>` holding `child`. */
export function listItem(child: Node): HTMLLIElement {
  const li = document.createElement("li");
  li.append(child);
  return li;
}
