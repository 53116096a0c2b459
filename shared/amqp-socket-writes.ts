import type { ChannelModel } from "amqplib";

/** The parts of amqplib's connection this helper touches (not in its public types). */
interface Muxed {
  connection?: {
    stream?: { cork(): void; uncork(): void };
    muxer?: { _readIncoming?: () => void };
  };
}

/**
 * A speed-up you can skip: amqplib hands each frame to the socket with its own write (one
 * system call each); corked while its muxer drains, the frames of one turn of the event loop
 * leave in one write. Does nothing if amqplib's insides are not what it expects.
 */
export function batchSocketWrites(model: ChannelModel): void {
  const { stream, muxer } = (model as unknown as Muxed).connection ?? {};
  const drain = muxer?._readIncoming;
  if (!stream || !muxer || typeof drain !== "function") return;
  muxer._readIncoming = function (this: unknown) {
    stream.cork();
    try {
      drain.call(this);
    } finally {
      stream.uncork();
    }
  };
}
