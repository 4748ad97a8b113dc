/*
 * Stop strings: never shown, even partly; text before them arrives whole; held-back text that turns
 * out not to be a stop string is released.
 */
package dev.vireo.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringFilterTest {

    private static String feed(List<String> stops, String... pieces) {
        StringBuilder seen = new StringBuilder();
        StopStringFilter f = new StopStringFilter(stops, seen::append);
        for (String p : pieces) {
            if (!f.push(p)) {
                break;
            }
        }
        f.flush();
        assertEquals(f.text(), seen.toString());
        return seen.toString();
    }

    @Test
    void stopSplitAcrossPiecesIsNeverShown() {
        assertEquals("Hello ", feed(List.of("END"), "Hello E", "N", "D and more"));
    }

    @Test
    void falseAlarmIsReleased() {
        assertEquals("Hello ENTER", feed(List.of("END"), "Hello E", "NTER"));
        assertEquals("abc E", feed(List.of("END"), "abc E"));
    }

    @Test
    void earliestOfSeveralStopsWins() {
        assertEquals("a", feed(List.of("cd", "bc"), "abcd"));
    }

    @Test
    void stopAtTheVeryStartGivesNothing() {
        StringBuilder seen = new StringBuilder();
        StopStringFilter f = new StopStringFilter(List.of("\n\n"), seen::append);
        assertFalse(f.push("\n\nrest"));
        assertTrue(f.stopped());
        assertEquals("", seen.toString());
    }

    @Test
    void noStopsPassesEverything() {
        assertEquals("x y z", feed(List.of(), "x ", "y ", "z"));
    }
}
