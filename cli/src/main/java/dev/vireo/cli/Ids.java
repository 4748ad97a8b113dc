/*
 * Token id lists on the command line ("1,2,3") and as JSON output ("[1, 2, 3]").
 */
package dev.vireo.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parsing and printing of id lists. */
final class Ids {
    private Ids() {}

    static int[] parse(String s) {
        try {
            return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt)
                    .toArray();
        } catch (NumberFormatException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new Main()),
                    "--ids takes comma-separated integers, got '" + s + "'");
        }
    }

    static String json(int[] ids) {
        return Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Every id must index the vocabulary. */
    static void check(int[] ids, int vocab) {
        for (int id : ids) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
        }
        if (ids.length == 0) {
            throw new IllegalArgumentException("--ids is empty");
        }
    }
}
