/** The one-call TextEncoderStream gives the standard stream's bytes, surrogate pairs split across chunks included. */
import { describe, expect, it } from "vitest";
import { OneCallTextEncoderStream } from "./text-encoder-stream";

async function encodeAll(stream: TransformStream<string, Uint8Array>, chunks: string[]): Promise<number[]> {
  const out: number[] = [];
  const reading = (async () => {
    for await (const b of stream.readable as unknown as AsyncIterable<Uint8Array>) out.push(...b);
  })();
  const w = stream.writable.getWriter();
  for (const c of chunks) await w.write(c);
  await w.close();
  await reading;
  return out;
}

describe("OneCallTextEncoderStream", () => {
  it("encodes like Node's TextEncoderStream, whatever the chunk boundaries", async () => {
    const text = 'data: {"b":"AAEC","s":"héllo ✓ 😀 𝄞"}\n\n' + "\ud83d" + "x" + "\udc00" + "end \ud83d";
    for (let cut = 0; cut <= text.length; cut++) {
      const chunks = [text.slice(0, cut), text.slice(cut, cut + 3), text.slice(cut + 3)];
      expect(await encodeAll(new OneCallTextEncoderStream(), chunks)).toEqual(await encodeAll(new TextEncoderStream(), chunks));
    }
  });
});
