package dev.colosseum.router.core;

/**
 * Nearest-neighbour Bradley–Terry: for a query, the training prompts are ranked by cosine similarity and, for
 * each neighbourhood size k, a Bradley–Terry fit over all models on the comparisons of the k most similar
 * prompts (each weighted by exp(5·similarity), with a ridge) gives local model strengths θ_k.
 */
final class Neighbours {
    private final PromptIndex prompts;
    private final int[][] byPrompt;
    private final int[] a;
    private final int[] b;
    private final double[] y;
    private final int models;

    Neighbours(PromptIndex prompts, int[] a, int[] b, double[] y, int models) {
        this.prompts = prompts;
        this.a = a;
        this.b = b;
        this.y = y;
        this.models = models;
        int[] count = new int[prompts.size()];
        for (int p : prompts.ofComparison()) {
            count[p]++;
        }
        this.byPrompt = new int[count.length][];
        for (int p = 0; p < count.length; p++) {
            byPrompt[p] = new int[count[p]];
        }
        int[] fill = new int[count.length];
        for (int i = 0; i < prompts.ofComparison().length; i++) {
            int p = prompts.ofComparison()[i];
            byPrompt[p][fill[p]++] = i;
        }
    }

    int size() {
        return prompts.size();
    }

    /** θ per model for each k of {@code ks} (ascending). */
    double[][] thetas(float[] q, int[] ks) {
        double[][] out = new double[ks.length][];
        int kmax = Math.min(ks[ks.length - 1], prompts.size());
        if (kmax == 0) {
            for (int j = 0; j < ks.length; j++) {
                out[j] = new double[models];
            }
            return out;
        }
        double[] sims = new double[prompts.size()];
        prompts.similarities(q, sims);
        int[] top = topK(sims, kmax);
        int m = 0;
        for (int p : top) {
            m += byPrompt[p].length;
        }
        int[] ta = new int[m];
        int[] tb = new int[m];
        double[] ty = new double[m];
        double[] tw = new double[m];
        int[] upTo = new int[top.length + 1];
        int r = 0;
        for (int t = 0; t < top.length; t++) {
            int p = top[t];
            double w = Math.exp(5 * sims[p]);
            for (int i : byPrompt[p]) {
                ta[r] = a[i];
                tb[r] = b[i];
                ty[r] = y[i];
                tw[r] = w;
                r++;
            }
            upTo[t + 1] = r;
        }
        for (int j = 0; j < ks.length; j++) {
            int k = Math.min(ks[j], top.length);
            out[j] = Bt.fit(models, ta, tb, ty, tw, upTo[k], 0.05);
        }
        return out;
    }

    /** Indices of the k largest values, largest first (a primitive min-heap of size k). */
    static int[] topK(double[] v, int k) {
        int[] heap = new int[k];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (n < k) {
                int c = n++;
                heap[c] = i;
                while (c > 0) {
                    int parent = (c - 1) >>> 1;
                    if (v[heap[parent]] <= v[heap[c]]) {
                        break;
                    }
                    int t = heap[parent];
                    heap[parent] = heap[c];
                    heap[c] = t;
                    c = parent;
                }
            } else if (v[i] > v[heap[0]]) {
                heap[0] = i;
                siftDown(heap, n, v);
            }
        }
        int[] out = new int[n];
        for (int r = n - 1; r >= 0; r--) {
            out[r] = heap[0];
            heap[0] = heap[--n];
            siftDown(heap, n, v);
        }
        return out;
    }

    private static void siftDown(int[] heap, int n, double[] v) {
        int c = 0;
        while (true) {
            int l = 2 * c + 1;
            if (l >= n) {
                return;
            }
            int s = l + 1 < n && v[heap[l + 1]] < v[heap[l]] ? l + 1 : l;
            if (v[heap[c]] <= v[heap[s]]) {
                return;
            }
            int t = heap[s];
            heap[s] = heap[c];
            heap[c] = t;
            c = s;
        }
    }
}
