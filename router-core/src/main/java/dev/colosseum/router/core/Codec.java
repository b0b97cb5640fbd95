package dev.colosseum.router.core;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Primitive array read/write helpers for the router persistence format. */
final class Codec {
    private Codec() {
    }

    static void writeDoubles(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double x : v) {
            out.writeDouble(x);
        }
    }

    static double[] readDoubles(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readDouble();
        }
        return v;
    }

    static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float x : v) {
            out.writeFloat(x);
        }
    }

    static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    static void writeInts(DataOutputStream out, int[] v) throws IOException {
        out.writeInt(v.length);
        for (int x : v) {
            out.writeInt(x);
        }
    }

    static int[] readInts(DataInputStream in) throws IOException {
        int[] v = new int[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readInt();
        }
        return v;
    }

    static void writeStrings(DataOutputStream out, List<String> v) throws IOException {
        out.writeInt(v.size());
        for (String s : v) {
            out.writeUTF(s);
        }
    }

    static List<String> readStrings(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> v = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            v.add(in.readUTF());
        }
        return v;
    }

    static void writeMatrix(DataOutputStream out, float[][] m) throws IOException {
        out.writeInt(m.length);
        for (float[] r : m) {
            writeFloats(out, r);
        }
    }

    static float[][] readMatrix(DataInputStream in) throws IOException {
        float[][] m = new float[in.readInt()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = readFloats(in);
        }
        return m;
    }

    static void writeMatrix(DataOutputStream out, double[][] m) throws IOException {
        out.writeInt(m.length);
        for (double[] r : m) {
            writeDoubles(out, r);
        }
    }

    static double[][] readDoubleMatrix(DataInputStream in) throws IOException {
        double[][] m = new double[in.readInt()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = readDoubles(in);
        }
        return m;
    }
}
