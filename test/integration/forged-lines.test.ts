/**
 * Issue 5 item 6 (hardening E4) over real sockets: a player cannot make the line door show a
 * line that starts the way the server's lines start. Runs of whitespace in player text are
 * collapsed, and every tail the word wrap pushes onto a new line is indented.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LineClient, linePlayer } from "../support/clients.js";
import { removeDir, startTestServer, type TestServer } from "../support/server-harness.js";

let server: TestServer;
const clients: LineClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
  removeDir(server.dataDir);
});

/** A netcat-like raw TCP client on the line door, logged in as a new character. */
function player(prefix: string): Promise<{ client: LineClient; name: string }> {
  return linePlayer(server.ports.line, prefix, clients);
}

describe("issue 5 item 6: forged server lines through word wrap (E4)", () => {
  it("no line a player can produce starts with another player's name, a server notice or a prompt", async () => {
    const attacker = await player("mallory");
    const bob = await player("bob");
    const victim = await player("victim");
    for (const c of [attacker, bob, victim]) c.client.mark();

    const bobSays = `${bob.name} says, "my password is swordfish"`;
    const name = attacker.name;
    // The filler ends the first line a few columns short of the 79-column wrap width, so that
    // plain word wrap (no space run at all) puts Bob's "line" at the start of the next one.
    const filler = "la ".repeat(Math.floor((76 - name.length - 1) / 3)).trim();
    const attacks = [
      `:waves.${" ".repeat(120)}${bobSays}`,
      `say hi${"\t".repeat(90)}${bobSays}`,
      `say hi${"\u00a0".repeat(90)}${bobSays}`,
      `say hi${"\u3000".repeat(60)}${bobSays}`,
      `say hi${"\u2800".repeat(90)}${bobSays}`,
      `say hi${"\u3164".repeat(90)}${bobSays}`,
      `say hi${" \u200b".repeat(60)}${bobSays}`,
      `:${filler} ${bobSays}`,
      `tell ${victim.name} psst${" ".repeat(120)}The server is shutting down now. Your character has been saved; see you soon.`,
      `tell ${victim.name} psst${" ".repeat(120)}Your name:`,
      `tell ${victim.name} psst${" ".repeat(120)}Password:`,
    ];
    for (const attack of attacks) attacker.client.send(attack);
    attacker.client.send("say END-OF-ATTACK");
    await victim.client.expect(`${name} says, "END-OF-ATTACK"`);
    await bob.client.expect(`${name} says, "END-OF-ATTACK"`);

    for (const reader of [victim, bob, attacker]) {
      const text = reader.client.text.slice(reader.client.text.indexOf(`${name} waves.`));
      const lines = text.split("\n");
      const forged = lines.filter(
        (l) =>
          l.startsWith(`${bob.name} `) ||
          l.startsWith(`${victim.name} `) ||
          l.startsWith("The server") ||
          l.startsWith("Your name:") ||
          l.startsWith("Password:"),
      );
      expect(forged).toEqual([]);
      // Every line carrying the attacker's words begins with their name, or with the indent
      // that marks a wrapped tail.
      for (const l of lines) {
        if (/swordfish|shutting down|Your name:|Password:/.test(l)) expect(l).toMatch(new RegExp(`^(${name} |You |  \\S)`));
      }
    }
    // The wrap that made it possible still applies (E9), and the tail is indented.
    expect(victim.client.text).toContain(`${name} ${filler}\n  ${bobSays}`);
    expect(victim.client.text).toContain(`${name} waves. ${bobSays}`);
    expect(victim.client.text).toContain(`${name} tells you, "psst The server is shutting down now.`);
  });
});
