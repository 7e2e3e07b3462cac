package dev.sprox.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem found in one pass, so an operator sees them all at once. */
final class Problems {
    private final List<Problem> found = new ArrayList<>();
    private final List<String> files = new ArrayList<>();

    /** Problems are listed file by file in the order the files were read: the main file first. */
    void reading(String file) {
        files.add(file);
    }

    /** Records a problem; the same one found again (say, for each route) is listed once. */
    void add(Source where, String path, String message) {
        var problem = new Problem(where, path, message);
        if (!found.contains(problem)) {
            found.add(problem);
        }
    }

    private int fileRank(String file) {
        int rank = files.indexOf(file);
        return rank < 0 ? files.size() : rank;
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** In reading order: by file, then line, then column. */
    List<Problem> list() {
        return found.stream().sorted(Comparator.comparingInt((Problem p) -> fileRank(p.where().file()))
                .thenComparingInt(p -> p.where().line())
                .thenComparingInt(p -> p.where().column())).toList();
    }
}
