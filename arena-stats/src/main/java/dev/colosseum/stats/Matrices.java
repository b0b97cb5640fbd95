package dev.colosseum.stats;

/**
 * Pairwise matrices over non-tie battles: win fraction (row beats column), battle counts, the
 * predicted win probability from ratings, and the average win rate (row mean of the win fraction,
 * ignoring undefined cells). Cells are {@code Double.NaN} where undefined (serialised as null).
 *
 * <p>{@link #compute(BattleSet, boolean)} with {@code fastchatPattern = true} reproduces FastChat's
 * pandas pivot-table pattern exactly. FastChat adds pivot tables that only have rows/columns for
 * models occurring in a given role, and pandas leaves a cell of a sum NaN unless it exists in both
 * operands. So the count cell (i, j) is defined only if i and j each appear both as model_a and as
 * model_b among non-tie battles; the win-fraction cell additionally needs i to have won at least
 * once as model_a and once as model_b, j to have lost at least once as model_b and once as
 * model_a, and a non-zero count (0/0 is undefined). With {@code false} a cell is undefined only
 * when the pair never met without a tie (and the diagonal).
 */
public final class Matrices {
    private final java.util.List<String> models;
    private final double[][] winFraction;
    private final double[][] counts;
    private final double[] averageWinRate;

    private Matrices(java.util.List<String> models, double[][] winFraction, double[][] counts, double[] avg) {
        this.models = models;
        this.winFraction = winFraction;
        this.counts = counts;
        this.averageWinRate = avg;
    }

    public java.util.List<String> models() {
        return models;
    }

    /** Fraction of non-tie battles between i and j won by i (NaN if undefined). */
    public double winFraction(int i, int j) {
        return winFraction[i][j];
    }

    /** Non-tie battles between i and j, either side (NaN where FastChat's pattern leaves it undefined). */
    public double count(int i, int j) {
        return counts[i][j];
    }

    /** Mean of row i of the win-fraction matrix over defined cells. */
    public double averageWinRate(int i) {
        return averageWinRate[i];
    }

    public static Matrices compute(BattleSet set, boolean fastchatPattern) {
        int m = set.modelCount();
        double[][] aWin = new double[m][m];
        double[][] bWin = new double[m][m];
        double[][] num = new double[m][m];
        boolean[] asA = new boolean[m];
        boolean[] asB = new boolean[m];
        boolean[] wonAsA = new boolean[m];   // index of a_win pivot (model_a of A-wins)
        boolean[] lostAsB = new boolean[m];  // columns of a_win pivot (model_b of A-wins)
        boolean[] wonAsB = new boolean[m];   // index of b_win.T (model_b of B-wins)
        boolean[] lostAsA = new boolean[m];  // columns of b_win.T (model_a of B-wins)
        for (int i = 0; i < set.size(); i++) {
            Outcome o = set.outcome(i);
            if (o.isTie()) {
                continue;
            }
            int a = set.modelA(i);
            int b = set.modelB(i);
            num[a][b]++;
            asA[a] = true;
            asB[b] = true;
            if (o == Outcome.MODEL_A) {
                aWin[a][b]++;
                wonAsA[a] = true;
                lostAsB[b] = true;
            } else {
                bWin[a][b]++;
                wonAsB[b] = true;
                lostAsA[a] = true;
            }
        }
        double[][] wf = new double[m][m];
        double[][] cnt = new double[m][m];
        double[] avg = new double[m];
        for (int i = 0; i < m; i++) {
            double sum = 0;
            int k = 0;
            for (int j = 0; j < m; j++) {
                double c = num[i][j] + num[j][i];
                double w = aWin[i][j] + bWin[j][i];
                boolean countDefined = !fastchatPattern || (asA[i] && asB[i] && asA[j] && asB[j]);
                boolean numDefined = !fastchatPattern || (wonAsA[i] && lostAsB[j] && wonAsB[i] && lostAsA[j]);
                cnt[i][j] = countDefined ? c : Double.NaN;
                wf[i][j] = countDefined && numDefined && c > 0 ? w / c : Double.NaN;
                if (!Double.isNaN(wf[i][j])) {
                    sum += wf[i][j];
                    k++;
                }
            }
            avg[i] = k == 0 ? Double.NaN : sum / k;
        }
        return new Matrices(set.models(), wf, cnt, avg);
    }

    /** Predicted P(row beats column) = sigma(theta_i - theta_j) from log-odds strengths. */
    public static double[][] predictedWinProbability(double[] theta) {
        int m = theta.length;
        double[][] p = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                p[i][j] = i == j ? Double.NaN : 1.0 / (1.0 + Math.exp(theta[j] - theta[i]));
            }
        }
        return p;
    }
}
