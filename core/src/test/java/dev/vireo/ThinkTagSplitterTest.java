/*
 * ThinkTagSplitter on whole texts and on the same texts cut into every pair of pieces: the split never
 * depends on where the tokens happened to end.
 */
package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThinkTagSplitterTest {

    /** "reasoning|content" from feeding {@code pieces}. */
    private static String split(boolean startsThinking, List<String> pieces) {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        ThinkTagSplitter s = new ThinkTagSplitter(startsThinking, reasoning::append, content::append);
        pieces.forEach(s::push);
        s.finish();
        return reasoning + "|" + content;
    }

    /** The split of {@code text}, checked to be the same for every cut into two pieces and char by char. */
    private static String split(boolean startsThinking, String text) {
        String whole = split(startsThinking, List.of(text));
        for (int cut = 0; cut <= text.length(); cut++) {
            assertEquals(whole, split(startsThinking, List.of(text.substring(0, cut), text.substring(cut))),
                    "cut at " + cut + " of " + text);
        }
        assertEquals(whole, split(startsThinking, text.chars().mapToObj(Character::toString).toList()), "char by char");
        return whole;
    }

    @Test
    void aLeadingThinkBlockIsReasoning() {
        assertEquals("Let me see.\n2 + 2 = 4.|It is 4.", split(false, "<think>\nLet me see.\n2 + 2 = 4.\n</think>\n\nIt is 4."));
        assertEquals("x|y", split(false, "\n <think>x</think>y"));
    }

    @Test
    void withoutATagEverythingIsContentAsWritten() {
        assertEquals("| Hello <think>not reasoning</think>", split(false, " Hello <think>not reasoning</think>"));
        assertEquals("|<thinker> is a word", split(false, "<thinker> is a word"));
        assertEquals("|<thi", split(false, "<thi"));
        assertEquals("|", split(false, ""));
        assertEquals("|\n", split(false, "\n"));
    }

    @Test
    void aPromptEndingInThinkStartsInsideTheBlock() {
        assertEquals("Short thought.|Answer.", split(true, "Short thought.</think>\n\nAnswer."));
        assertEquals("|Answer.", split(true, "\n\n</think>\n\nAnswer."));
        assertEquals(true, ThinkTagSplitter.endsInsideThink("<|im_start|>assistant\n<think>\n"));
        assertEquals(false, ThinkTagSplitter.endsInsideThink("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
    }

    @Test
    void anUnfinishedBlockIsAllReasoning() {
        assertEquals("Still thinking </thi|", split(false, "<think>Still thinking </thi"));
        assertEquals("a  b|", split(true, "a  b  \n"));
    }
}
