package dev.colosseum.router.core;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The persistence format: gzip of magic "CRTR", format version, the router kind, then its parameters. Versions 2
 * to 4 changed only the best router's parameters (2: stacked blend; 3: a features-only component and the chosen
 * penalty; 4: a gradient-boosted tree component on the prompt features); versions 1 to 3 are still read.
 */
public final class RouterCodec {
    private static final int MAGIC = 0x43525452;
    private static final int VERSION = 4;

    private RouterCodec() {
    }

    public static byte[] toBytes(Router r) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bo))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(r.kind());
            r.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    public static Router fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes))))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a router model");
            }
            int v = in.readInt();
            if (v < 1 || v > VERSION) {
                throw new IllegalArgumentException("unsupported router model format " + v);
            }
            String kind = in.readUTF();
            switch (kind) {
                case "random": {
                    var models = Codec.readStrings(in);
                    return new RandomRouter(models, in.readLong());
                }
                case "length":
                    return new LengthRouter(Codec.readStrings(in));
                case "sw":
                    return SwRouter.read(in);
                case "mf":
                    return MfRouter.read(in);
                case "clf":
                    return ClfRouter.read(in);
                case "best":
                    return BestRouter.read(in, v);
                default:
                    throw new IllegalArgumentException("unknown router kind " + kind);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
