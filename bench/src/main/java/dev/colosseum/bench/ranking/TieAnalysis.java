package dev.colosseum.bench.ranking;

import dev.colosseum.stats.BattleReader;
import dev.colosseum.stats.BattleSet;
import dev.colosseum.stats.BradleyTerry;
import dev.colosseum.stats.PairTable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How does the tie rate of real arena votes depend on the rating gap? Fits four tie models by maximum
 * likelihood on a vote file (strengths and tie parameters jointly, every outcome of every battle):
 * <ul>
 *   <li>{@code constant}: P(tie) = c whatever the gap, Bradley–Terry on the decisive votes;</li>
 *   <li>{@code davidson}: P(i), P(j), P(tie) ∝ e^{g/2}, e^{−g/2}, ν (Davidson 1970);</li>
 *   <li>{@code rao-kupper}: P(i) = σ(g − κ), P(j) = σ(−g − κ), the rest ties (Rao–Kupper 1967);</li>
 *   <li>{@code logistic}: P(tie) = σ(a + b·|g|), Bradley–Terry on the decisive votes. It nests
 *       {@code constant} (b = 0), so the likelihood-ratio test of b = 0 asks whether the tie rate depends
 *       on the gap at all.</li>
 * </ul>
 * g = s_i − s_j (natural log-odds). Prints the log-likelihoods, the parameters, and the observed against
 * the fitted tie rate in bins of |gap|. {@link #fit} is also what {@code SamplingSimulation} uses for its
 * {@code data} voters.
 *
 * <p>Arguments: vote files (JSONL/CSV, anonymous rows); default the two real arena files.
 */
public final class TieAnalysis {
    public static final String[] MODELS = {"constant", "davidson", "rao-kupper", "logistic"};

    private TieAnalysis() {
    }

    /** A fitted tie model: kind, tie parameters, strengths (log-odds), log-likelihood. */
    public record TieModel(String kind, double[] tie, double[] s, double logLik, int parameters) {
        /** P(i wins), P(j wins), P(tie) at gap g = s_i − s_j. */
        public double[] probabilities(double g) {
            return TieAnalysis.probabilities(kind, tie, g);
        }

        public double aic() {
            return 2 * parameters - 2 * logLik;
        }

        public String describe() {
            return switch (kind) {
                case "constant" -> String.format(Locale.ROOT, "c = %.4f", tie[0]);
                case "davidson" -> String.format(Locale.ROOT, "nu = %.4f (P(tie) between equals %.3f)", Math.exp(tie[0]),
                        Math.exp(tie[0]) / (2 + Math.exp(tie[0])));
                case "rao-kupper" -> String.format(Locale.ROOT, "kappa = %.4f (P(tie) between equals %.3f)", Math.exp(tie[0]),
                        1 - 2 / (1 + Math.exp(Math.exp(tie[0]))));
                default -> String.format(Locale.ROOT, "a = %.4f, b = %.4f per log-odds unit (P(tie) between equals %.3f)",
                        tie[0], tie[1], 1 / (1 + Math.exp(-tie[0])));
            };
        }
    }

    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            files.add(Path.of(a));
        }
        if (files.isEmpty()) {
            Path dir = defaultDataDir();
            files.add(dir.resolve("lmarena_2024_sample10k_battles.jsonl"));
            files.add(dir.resolve("arena_2023_battles_with_prompts_1135.jsonl"));
        }
        for (Path f : files) {
            report(f);
        }
    }

    /** ../shared/data/arena seen from the project root (or from bench/). */
    public static Path defaultDataDir() {
        Path p = Path.of("..", "shared", "data", "arena");
        return Files.isDirectory(p) ? p : Path.of("..", "..", "shared", "data", "arena");
    }

    /** Aggregated unordered pairs: i, j, wins of i, wins of j, ties. */
    record Pairs(List<String> models, int[] i, int[] j, double[] wi, double[] wj, double[] t) {
        double total() {
            double n = 0;
            for (int k = 0; k < i.length; k++) {
                n += wi[k] + wj[k] + t[k];
            }
            return n;
        }
    }

    static Pairs pairs(BattleSet set) {
        int m = set.modelCount();
        double[] c = new double[m * m * 3];
        for (int r = 0; r < set.size(); r++) {
            int a = set.modelA(r);
            int b = set.modelB(r);
            int lo = Math.min(a, b);
            int hi = Math.max(a, b);
            int o = set.outcome(r).isTie() ? 2 : (set.y(r) > 0.5) == (a == lo) ? 0 : 1;
            c[(lo * m + hi) * 3 + o]++;
        }
        List<int[]> keep = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                int base = (i * m + j) * 3;
                if (c[base] + c[base + 1] + c[base + 2] > 0) {
                    keep.add(new int[]{i, j});
                }
            }
        }
        int n = keep.size();
        int[] pi = new int[n];
        int[] pj = new int[n];
        double[] wi = new double[n];
        double[] wj = new double[n];
        double[] t = new double[n];
        for (int k = 0; k < n; k++) {
            int i = keep.get(k)[0];
            int j = keep.get(k)[1];
            int base = (i * m + j) * 3;
            pi[k] = i;
            pj[k] = j;
            wi[k] = c[base];
            wj[k] = c[base + 1];
            t[k] = c[base + 2];
        }
        return new Pairs(set.models(), pi, pj, wi, wj, t);
    }

    static void report(Path file) throws IOException {
        BattleSet set;
        try (InputStream in = Files.newInputStream(file)) {
            set = BattleReader.readSet(in, true);
        }
        Pairs p = pairs(set);
        double ties = 0;
        for (double x : p.t()) {
            ties += x;
        }
        System.out.printf(Locale.ROOT, "%n== %s: %d anonymous votes, %d models, %d pairs, ties %.1f%%%n", file.getFileName(),
                set.size(), set.modelCount(), p.i().length, 100 * ties / p.total());
        double[] half = BradleyTerry.fit(PairTable.aggregate(set)).theta();
        List<TieModel> fits = new ArrayList<>();
        for (String kind : MODELS) {
            fits.add(fit(p, kind));
        }
        System.out.println("model        params  log-likelihood      AIC   tie parameters");
        for (TieModel f : fits) {
            System.out.printf(Locale.ROOT, "%-12s %6d %15.2f %8.1f   %s%n", f.kind(), f.parameters(), f.logLik(), f.aic(),
                    f.describe());
        }
        TieModel constant = fits.get(0);
        TieModel logistic = fits.get(3);
        double lr = 2 * (logistic.logLik() - constant.logLik());
        System.out.printf(Locale.ROOT, "likelihood-ratio test of b = 0 (tie rate independent of the gap): chi2(1) = %.2f,"
                + " %s%n", lr, chi2OneP(lr));
        // observed vs fitted tie rate in bins of |gap| (gap from the usual BT fit with ties as half wins)
        int n = p.i().length;
        Integer[] order = new Integer[n];
        double[] gap = new double[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
            gap[k] = Math.abs(half[p.i()[k]] - half[p.j()[k]]);
        }
        Arrays.sort(order, (x, y) -> Double.compare(gap[x], gap[y]));
        int bins = set.size() >= 5000 ? 8 : 4;
        double total = p.total();
        System.out.println("|gap| Elo (BT, ties half)   votes   observed ties   fitted: constant davidson rao-kupper logistic");
        int k = 0;
        for (int bin = 0; bin < bins; bin++) {
            double want = total * (bin + 1) / bins;
            double votes = 0;
            double tie = 0;
            double[] fitted = new double[fits.size()];
            double lo = gap[order[k]];
            double hi = lo;
            double seen = cumulative(p, order, k);
            while (k < n && (seen + votes < want || bin == bins - 1)) {
                int r = order[k];
                double nv = p.wi()[r] + p.wj()[r] + p.t()[r];
                votes += nv;
                tie += p.t()[r];
                for (int f = 0; f < fits.size(); f++) {
                    TieModel tm = fits.get(f);
                    fitted[f] += nv * tm.probabilities(tm.s()[p.i()[r]] - tm.s()[p.j()[r]])[2];
                }
                hi = gap[r];
                k++;
            }
            if (votes == 0) {
                continue;
            }
            double rate = tie / votes;
            double se = Math.sqrt(rate * (1 - rate) / votes);
            System.out.printf(Locale.ROOT, "  %5.0f – %5.0f            %6.0f   %.3f ± %.3f     %.3f    %.3f    %.3f      %.3f%n",
                    lo * BradleyTerry.ELO_PER_LOGIT, hi * BradleyTerry.ELO_PER_LOGIT, votes, rate, 1.96 * se,
                    fitted[0] / votes, fitted[1] / votes, fitted[2] / votes, fitted[3] / votes);
        }
    }

    private static double cumulative(Pairs p, Integer[] order, int upTo) {
        double s = 0;
        for (int q = 0; q < upTo; q++) {
            int r = order[q];
            s += p.wi()[r] + p.wj()[r] + p.t()[r];
        }
        return s;
    }

    /** Fits one tie model on the real file at {@code path}. */
    public static TieModel fit(Path path, String kind) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return fit(pairs(BattleReader.readSet(in, true)), kind);
        }
    }

    static double[] probabilities(String kind, double[] tie, double g) {
        switch (kind) {
            case "constant": {
                double c = tie[0];
                double pw = 1 / (1 + Math.exp(-g));
                return new double[]{(1 - c) * pw, (1 - c) * (1 - pw), c};
            }
            case "davidson": {
                double nu = Math.exp(tie[0]);
                double a = Math.exp(g / 2);
                double b = Math.exp(-g / 2);
                double d = a + b + nu;
                return new double[]{a / d, b / d, nu / d};
            }
            case "rao-kupper": {
                double kappa = Math.exp(tie[0]);
                double pi = 1 / (1 + Math.exp(-(g - kappa)));
                double pj = 1 / (1 + Math.exp(g + kappa));
                return new double[]{pi, pj, Math.max(1e-300, 1 - pi - pj)};
            }
            default: {
                // |g| smoothed over 1e-3 log-odds so that Newton's derivatives exist at g = 0
                double c = 1 / (1 + Math.exp(-(tie[0] + tie[1] * Math.sqrt(g * g + 1e-6))));
                double pw = 1 / (1 + Math.exp(-g));
                return new double[]{(1 - c) * pw, (1 - c) * (1 - pw), c};
            }
        }
    }

    private static double pairLogLik(String kind, double[] tie, double g, double wi, double wj, double t) {
        double[] pr = probabilities(kind, tie, g);
        double ll = 0;
        if (wi > 0) {
            ll += wi * Math.log(pr[0]);
        }
        if (wj > 0) {
            ll += wj * Math.log(pr[1]);
        }
        if (t > 0) {
            ll += t * Math.log(pr[2]);
        }
        return ll;
    }

    /**
     * Joint maximum likelihood by Newton's method: strengths s (model 0 fixed at 0) and the tie parameters.
     * Each pair's log-likelihood depends on (g, tie) only; its first and second derivatives in those few
     * variables are taken by central differences and assembled into the full gradient and Hessian.
     */
    static TieModel fit(Pairs p, String kind) {
        if (kind.equals("logistic")) {
            // start from the constant model (its optimum is the b = 0 point of this one)
            TieModel c = fit(p, "constant");
            return fit(p, kind, c.s().clone(), new double[]{Math.log(c.tie()[0] / (1 - c.tie()[0])), 0});
        }
        return fit(p, kind, null, null);
    }

    private static TieModel fit(Pairs p, String kind, double[] start, double[] tieStart) {
        int m = p.models().size();
        int q = kind.equals("logistic") ? 2 : 1;
        int dim = m - 1 + q;
        double[] s = start != null ? start : new double[m];
        double tieRate = 0;
        for (double x : p.t()) {
            tieRate += x;
        }
        tieRate /= p.total();
        double[] tie = tieStart != null ? tieStart : switch (kind) {
            case "constant" -> new double[]{tieRate};
            case "davidson" -> new double[]{Math.log(2 * tieRate / (1 - tieRate))};
            case "rao-kupper" -> new double[]{Math.log(Math.max(0.05, Math.log((1 + tieRate) / (1 - tieRate))))};
            default -> new double[]{Math.log(tieRate / (1 - tieRate)), 0};
        };
        if (kind.equals("constant")) {
            q = 0;
            dim = m - 1;
        }
        double ll = logLik(p, kind, tie, s);
        for (int iter = 0; iter < 200; iter++) {
            double[] grad = new double[dim];
            double[][] hess = new double[dim][dim];
            derivatives(p, kind, tie, s, q, grad, hess);
            double[] step = solve(hess, grad);
            double gnorm = 0;
            for (double x : grad) {
                gnorm = Math.max(gnorm, Math.abs(x));
            }
            if (gnorm < 1e-7) {
                break;
            }
            double scale = 1;
            boolean improved = false;
            for (int h = 0; h < 40; h++) {
                double[] s2 = s.clone();
                double[] t2 = tie.clone();
                for (int a = 1; a < m; a++) {
                    s2[a] -= scale * step[a - 1];
                }
                for (int c = 0; c < q; c++) {
                    t2[c] -= scale * step[m - 1 + c];
                }
                double ll2 = logLik(p, kind, t2, s2);
                if (Double.isFinite(ll2) && ll2 >= ll - 1e-12) {
                    s = s2;
                    tie = t2;
                    improved = ll2 > ll + 1e-12;
                    ll = ll2;
                    break;
                }
                scale /= 2;
            }
            if (!improved) {
                break;
            }
        }
        return new TieModel(kind, tie, s, ll, (m - 1) + (kind.equals("logistic") ? 2 : 1));
    }

    private static double logLik(Pairs p, String kind, double[] tie, double[] s) {
        double ll = 0;
        for (int k = 0; k < p.i().length; k++) {
            ll += pairLogLik(kind, tie, s[p.i()[k]] - s[p.j()[k]], p.wi()[k], p.wj()[k], p.t()[k]);
        }
        return ll;
    }

    /** Gradient and Hessian of the NEGATIVE log-likelihood in (s_1..s_{m-1}, tie_0..tie_{q-1}). */
    private static void derivatives(Pairs p, String kind, double[] tie, double[] s, int q, double[] grad, double[][] hess) {
        int m = s.length;
        double h = 1e-4;
        int vars = 1 + q;
        for (int k = 0; k < p.i().length; k++) {
            int i = p.i()[k];
            int j = p.j()[k];
            double g = s[i] - s[j];
            double wi = p.wi()[k];
            double wj = p.wj()[k];
            double t = p.t()[k];
            // local variables: x0 = g, x1.. = tie parameters
            double[] x = new double[vars];
            x[0] = g;
            System.arraycopy(tie, 0, x, 1, q);
            double[] tieFull = tie.clone();
            double f0 = localNegLl(kind, tieFull, x, q, wi, wj, t);
            double[] d1 = new double[vars];
            double[][] d2 = new double[vars][vars];
            for (int a = 0; a < vars; a++) {
                double[] xp = x.clone();
                double[] xm = x.clone();
                xp[a] += h;
                xm[a] -= h;
                double fp = localNegLl(kind, tieFull, xp, q, wi, wj, t);
                double fm = localNegLl(kind, tieFull, xm, q, wi, wj, t);
                d1[a] = (fp - fm) / (2 * h);
                d2[a][a] = (fp - 2 * f0 + fm) / (h * h);
                for (int b = a + 1; b < vars; b++) {
                    double[] pp = x.clone();
                    double[] pm = x.clone();
                    double[] mp = x.clone();
                    double[] mm = x.clone();
                    pp[a] += h; pp[b] += h;
                    pm[a] += h; pm[b] -= h;
                    mp[a] -= h; mp[b] += h;
                    mm[a] -= h; mm[b] -= h;
                    d2[a][b] = (localNegLl(kind, tieFull, pp, q, wi, wj, t) - localNegLl(kind, tieFull, pm, q, wi, wj, t)
                            - localNegLl(kind, tieFull, mp, q, wi, wj, t) + localNegLl(kind, tieFull, mm, q, wi, wj, t))
                            / (4 * h * h);
                    d2[b][a] = d2[a][b];
                }
            }
            // map local variables to global indices: g -> +s_i (index i-1), -s_j (index j-1); tie c -> m-1+c
            int[] idx = {i - 1, j - 1};
            double[] sign = {1, -1};
            for (int u = 0; u < 2; u++) {
                if (idx[u] < 0) {
                    continue;
                }
                grad[idx[u]] += sign[u] * d1[0];
                for (int w = 0; w < 2; w++) {
                    if (idx[w] >= 0) {
                        hess[idx[u]][idx[w]] += sign[u] * sign[w] * d2[0][0];
                    }
                }
                for (int c = 0; c < q; c++) {
                    hess[idx[u]][m - 1 + c] += sign[u] * d2[0][1 + c];
                    hess[m - 1 + c][idx[u]] += sign[u] * d2[0][1 + c];
                }
            }
            for (int c = 0; c < q; c++) {
                grad[m - 1 + c] += d1[1 + c];
                for (int e = 0; e < q; e++) {
                    hess[m - 1 + c][m - 1 + e] += d2[1 + c][1 + e];
                }
            }
        }
    }

    private static double localNegLl(String kind, double[] tieBase, double[] x, int q, double wi, double wj, double t) {
        double[] tie = tieBase.clone();
        for (int c = 0; c < q; c++) {
            tie[c] = x[1 + c];
        }
        return -pairLogLik(kind, tie, x[0], wi, wj, t);
    }

    /** Solves H x = g (H symmetric positive definite; a tiny ridge guards singular directions). */
    static double[] solve(double[][] hIn, double[] g) {
        int n = g.length;
        double[][] a = new double[n][n + 1];
        for (int r = 0; r < n; r++) {
            System.arraycopy(hIn[r], 0, a[r], 0, n);
            a[r][r] += 1e-9;
            a[r][n] = g[r];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] tmp = a[c];
            a[c] = a[piv];
            a[piv] = tmp;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                if (f != 0) {
                    for (int k = c; k <= n; k++) {
                        a[r][k] -= f * a[c][k];
                    }
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double v = a[r][n];
            for (int k = r + 1; k < n; k++) {
                v -= a[r][k] * x[k];
            }
            x[r] = v / a[r][r];
        }
        return x;
    }

    /** The p-value class of a chi-square(1) statistic from its critical values 3.84, 6.63, 10.83. */
    static String chi2OneP(double x) {
        return x > 10.83 ? "p < 0.001" : x > 6.63 ? "p < 0.01" : x > 3.84 ? "p < 0.05" : "p >= 0.05";
    }
}
