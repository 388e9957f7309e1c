import { describe, expect, it } from "vitest";
import { MessageType as M, type MessagePlan } from "../reader/trace-set";
import { babeltrace2EventObjects } from "./bt2-event-pool";

/** One stream: stream beginning, one packet of `n` events of class 0 (times 1..n), the ends. */
function stream(n: number, rank = 0, t0 = 0): MessagePlan {
  const types = [M.StreamBeginning, M.PacketBeginning, ...Array<number>(n).fill(M.Event), M.PacketEnd, M.StreamEnd];
  const times = [NaN, t0, ...Array.from({ length: n }, (_x, i) => t0 + i + 1), t0 + n + 1, NaN];
  const classes = types.map((t) => (t === M.Event ? 0 : -1));
  return { rank, types: Uint8Array.from(types), times: Float64Array.from(times), classes: Int32Array.from(classes) };
}

describe("babeltrace2 2.0.4's pooled event objects", () => {
  it("a short stream decoded in one batch: a new object per event", () => {
    expect([...babeltrace2EventObjects([stream(2)])[0]!]).toEqual([0, 1]);
  });

  it("batches of 15 messages, objects reused last-released first", () => {
    // Batch 1: SB, PB and events 0-12 (objects 0-12), released in order, so object 12 is
    // on top; batch 2 decodes events 13-27: objects 12 down to 0, then new 13 and 14;
    // batch 3: events 28-29 get 14 and 13.
    const expected = [...Array.from({ length: 13 }, (_x, i) => i), ...Array.from({ length: 13 }, (_x, i) => 12 - i), 13, 14, 14, 13];
    expect([...babeltrace2EventObjects([stream(30)])[0]!]).toEqual(expected);
  });

  it("two streams of one class share the pool: the second stream's first batch gets new objects", () => {
    const [a, b] = babeltrace2EventObjects([stream(3, 0, 0), stream(3, 1, 0)]);
    // Both streams are decoded before the muxer returns anything: six live objects.
    expect([...a!, ...b!].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
