import { describe, expect, it } from "vitest";
import { clientKey, FixedWindowRateLimiter } from "../src/platform/ratelimit.js";

describe("rate limiter", () => {
  it("forgets an expired window at its edge, whoever came in between", () => {
    // Limit 1 a minute; t in seconds from a minute boundary.
    let now = 1_000_000 * 60_000;
    const limiter = new FixedWindowRateLimiter(1, 60, () => now);
    const timeline: [number, string, boolean, number][] = [
      [10, "a", true, 50],
      [40, "a", false, 20],
      [59.5, "a", false, 1],
      [60, "b", true, 60],
      [75, "a", true, 45],
      [90, "a", false, 30],
      [119, "a", false, 1],
      [120, "a", true, 60],
    ];
    const start = now;
    const seen = timeline.map(([at, client]) => {
      now = start + at * 1000;
      const decision = limiter.hit(client);
      expect(decision.limit).toBe(1);
      expect(decision.remaining).toBe(0);
      return [at, client, decision.allowed, decision.resetSeconds];
    });
    expect(seen).toEqual(timeline);
  });

  it("holds only the clients of the current window", () => {
    let now = 0;
    const limiter = new FixedWindowRateLimiter(5, 60, () => now);
    for (let n = 0; n < 100; n++) {
      limiter.hit(`198.51.100.${n}`);
    }
    expect(limiter.size).toBe(100);
    now += 60_000;
    limiter.hit("203.0.113.1");
    expect(limiter.size).toBe(1);
  });

  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"],
    ["2001:db8:1:3::1", "2001:db8:1:3::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["64:ff9b:1:2::192.0.2.1", "64:ff9b:1:2::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::ffff:192.0.2.1", "192.0.2.1"],
    ["not-an-address", "not-an-address"],
    [undefined, "unknown"],
    ["", "unknown"],
  ])("keys %s as %s", (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});
