/**
 * Playing over the line door in process tests: log in, send commands one after another and
 * wait for the words each must produce. Shared by the restart tests, which all drive a real
 * server through the same steps.
 */
import { LineClient } from "../../support/clients.js";

/** Connects to the line port and logs in; the client is added to `clients` so the test can close it. */
export async function login(port: number, command: "create" | "connect", name: string, password: string, clients: LineClient[]): Promise<LineClient> {
  const client = await LineClient.connect(port);
  clients.push(client);
  await client.expect("Your name:");
  client.send(`${command} ${name} ${password}`);
  await client.expect(`Welcome, ${name}.`);
  await client.expect("Exits:");
  return client;
}

/** `text` as a pattern that also matches it wrapped: the server wraps lines at the client's width (80). */
export function wrapped(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+"));
}

/** Sends each command in turn, waiting for the text it must produce before the next. */
export async function play(client: LineClient, steps: readonly (readonly [command: string, answer: string])[]): Promise<void> {
  for (const [command, answer] of steps) {
    client.send(command);
    await client.expect(wrapped(answer));
  }
}
