/** Origin and path checks made before the WebSocket handshake (hardening W3). */
import { describe, expect, it } from "vitest";
import { isAllowedOrigin, requestPath } from "../../../protocols/websocket/upgrade-guard.js";
import { resolveWebSocketDoorOptions, WEBSOCKET_PING_INTERVAL_MS } from "../../../protocols/websocket/websocket-options.js";
import { defaultWebSocketDoorOptions } from "../../support/default-config.js";

describe("isAllowedOrigin", () => {
  it("allows a request without Origin (not a browser)", () => {
    expect(isAllowedOrigin(undefined, "example.org", [])).toBe(true);
  });

  it("allows the page's own origin over http and https, case-insensitively", () => {
    expect(isAllowedOrigin("http://example.org:8080", "example.org:8080", [])).toBe(true);
    expect(isAllowedOrigin("https://Example.org", "example.ORG", [])).toBe(true);
  });

  it("refuses another host, another port, another scheme and the opaque origin", () => {
    expect(isAllowedOrigin("http://evil.example", "example.org", [])).toBe(false);
    expect(isAllowedOrigin("http://example.org:9999", "example.org:8080", [])).toBe(false);
    expect(isAllowedOrigin("ftp://example.org", "example.org", [])).toBe(false);
    expect(isAllowedOrigin("null", "example.org", [])).toBe(false);
    expect(isAllowedOrigin("http://example.org", undefined, [])).toBe(false);
  });

  it("allows listed origins (the list is lower-cased when options are resolved)", () => {
    const { allowedOrigins } = resolveWebSocketDoorOptions({ ...defaultWebSocketDoorOptions, allowedOrigins: ["https://Play.Example.org"] });
    expect(isAllowedOrigin("https://play.example.org", "loom.internal:8080", allowedOrigins)).toBe(true);
    expect(isAllowedOrigin("https://play.example.org.evil", "loom.internal:8080", allowedOrigins)).toBe(false);
  });
});

describe("issue 5 item 13: with public origins configured, the Origin check ignores Host", () => {
  const { allowedOrigins, publicOrigins } = resolveWebSocketDoorOptions({
    ...defaultWebSocketDoorOptions,
    publicOrigins: ["https://Play.Example.org"],
    allowedOrigins: ["https://partner.example.net"],
  });

  it("allows the published origins and the extra allowed ones", () => {
    expect(isAllowedOrigin("https://play.example.org", "loom.internal:8080", allowedOrigins, publicOrigins)).toBe(true);
    expect(isAllowedOrigin("https://partner.example.net", "loom.internal:8080", allowedOrigins, publicOrigins)).toBe(true);
  });

  it("refuses an Origin that only matches the Host header the client sent (DNS rebinding)", () => {
    expect(isAllowedOrigin("http://evil.example", "evil.example", allowedOrigins, publicOrigins)).toBe(false);
    expect(isAllowedOrigin("https://evil.example", "evil.example", allowedOrigins, publicOrigins)).toBe(false);
  });

  it("still allows a request without Origin (not a browser)", () => {
    expect(isAllowedOrigin(undefined, "evil.example", allowedOrigins, publicOrigins)).toBe(true);
  });
});

describe("requestPath", () => {
  it("drops the query string", () => {
    expect(requestPath("/ws?token=1")).toBe("/ws");
    expect(requestPath("/ws")).toBe("/ws");
    expect(requestPath(undefined)).toBe("");
  });
});

describe("resolveWebSocketDoorOptions", () => {
  it("takes the configured limits as given and fills in only the ping interval, which is not a setting", () => {
    expect(resolveWebSocketDoorOptions(defaultWebSocketDoorOptions)).toEqual({ ...defaultWebSocketDoorOptions, pingIntervalMs: WEBSOCKET_PING_INTERVAL_MS });
  });

  it("names a bad option", () => {
    expect(() => resolveWebSocketDoorOptions({ ...defaultWebSocketDoorOptions, maxLineBytes: 0 })).toThrow(/maxLineBytes/);
    expect(() => resolveWebSocketDoorOptions({ ...defaultWebSocketDoorOptions, pingIntervalMs: -1 })).toThrow(/pingIntervalMs/);
    expect(() => resolveWebSocketDoorOptions({ ...defaultWebSocketDoorOptions, closeTimeoutMs: 0 })).toThrow(/closeTimeoutMs/);
  });
});
