package dev.colosseum.router.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fold assignment (random and grouped), the flat similarity index, top-k selection and clf's row cap. */
class FoldsAndIndexTest {
    static List<QualityTable.Row> rows(int n, int groups) {
        List<QualityTable.Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new QualityTable.Row("p" + i, "file" + (i % groups), Map.of("s", 1.0, "w", 0.0),
                    Map.of("topic", "t" + (i % 3))));
        }
        return out;
    }

    @Test
    void randomFoldsAreBalancedSeededAndMixGroups() {
        List<QualityTable.Row> rs = rows(1003, 7);
        int[] f = CrossFitEvaluation.folds(rs, 5, 1, "random");
        int[] size = new int[5];
        for (int x : f) {
            size[x]++;
        }
        for (int s : size) {
            assertTrue(s == 200 || s == 201, Arrays.toString(size));
        }
        assertArrayEquals(f, CrossFitEvaluation.folds(rs, 5, 1, "random"));
        assertFalse(Arrays.equals(f, CrossFitEvaluation.folds(rs, 5, 2, "random")));
        // a source file is spread over every fold
        Set<Integer> foldsOfFile0 = new HashSet<>();
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).group().equals("file0")) {
                foldsOfFile0.add(f[i]);
            }
        }
        assertEquals(5, foldsOfFile0.size());
    }

    @Test
    void groupedFoldsKeepEachGroupInOneFold() {
        List<QualityTable.Row> rs = rows(700, 7);
        for (String by : List.of("file", "topic")) {
            int k = by.equals("file") ? 5 : 3;
            int[] f = CrossFitEvaluation.folds(rs, k, 1, by);
            Map<String, Integer> foldOf = new HashMap<>();
            for (int i = 0; i < rs.size(); i++) {
                Integer prev = foldOf.putIfAbsent(rs.get(i).attribute(by), f[i]);
                assertTrue(prev == null || prev == f[i], by + ": group in two folds");
            }
            assertEquals(k, Arrays.stream(f).distinct().count());
        }
        assertThrows(IllegalArgumentException.class, () -> CrossFitEvaluation.folds(rs, 5, 1, "topic"));
        assertThrows(IllegalArgumentException.class, () -> CrossFitEvaluation.folds(rs, 5, 1, "nope"));
    }

    @Test
    void flatIndexSimilaritiesEqualPlainDotProducts() {
        SplittableRandom r = new SplittableRandom(3);
        float[][] v = new float[50][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new float[Embedder.DIM];
            for (int j = 0; j < v[i].length; j++) {
                v[i][j] = (float) r.nextGaussian();
            }
            v[i] = Embedder.normalise(v[i]);
        }
        PromptIndex idx = PromptIndex.of(v);
        double[] s = idx.similarities(v[7]);
        for (int i = 0; i < v.length; i++) {
            double d = 0;
            for (int j = 0; j < v[i].length; j++) {
                d += v[i][j] * v[7][j];
            }
            assertEquals(d, s[i], 1e-5);
        }
        assertEquals(1.0, s[7], 1e-5);
        assertArrayEquals(v[3], idx.vector(3));
    }

    @Test
    void topKReturnsTheLargestInOrder() {
        SplittableRandom r = new SplittableRandom(9);
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble();
        }
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
        for (int k : new int[] {1, 8, 100, 1000, 2000}) {
            int[] top = Neighbours.topK(v, Math.min(k, v.length));
            assertEquals(Math.min(k, v.length), top.length);
            for (int i = 0; i < top.length; i++) {
                assertEquals(order[i].intValue(), top[i]);
            }
        }
    }

    @Test
    void classifierRowsAreCappedByASeededSample() {
        assertEquals(500, ClfRouter.trainingRows(500, 1).length);
        int[] rows = ClfRouter.trainingRows(50_000, 1);
        assertEquals(ClfRouter.MAX_ROWS, rows.length);
        assertEquals(ClfRouter.MAX_ROWS, Arrays.stream(rows).distinct().count());
        assertTrue(rows[rows.length - 1] < 50_000 && rows[0] >= 0);
        assertArrayEquals(rows, ClfRouter.trainingRows(50_000, 1));
    }
}
