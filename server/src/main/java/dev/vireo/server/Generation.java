/*
 * One HTTP request's generations (n choices) on the engine: each choice is a SequenceRequest whose
 * tokens go through a ChatFormat.Parser on the engine thread; what the parser lets through (content,
 * reasoning) and the end of each choice arrive as events on one queue that the request's own
 * (virtual) thread reads and writes out. Cancelling (client gone) cancels every choice. A format
 * that reads its own stop tokens (harmony) gets them: the engine then leaves ending to the parser.
 */
package dev.vireo.server;

import dev.vireo.sample.SamplingParams;
import dev.vireo.serve.BatchEngine;
import dev.vireo.serve.ChatFormat;
import dev.vireo.serve.ParsedMessage;
import dev.vireo.serve.SequenceListener;
import dev.vireo.serve.SequenceOutcome;
import dev.vireo.serve.SequenceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** The choices of one request and their event queue. */
final class Generation {

    sealed interface Event permits Content, Reasoning, Done {
        int index();
    }

    record Content(int index, String text) implements Event {}

    record Reasoning(int index, String text) implements Event {}

    record Done(int index, ParsedMessage message, SequenceOutcome outcome) implements Event {}

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<BatchEngine.Handle> handles = new ArrayList<>();
    private final int choices;

    /**
     * Submits one sequence per choice.
     *
     * @param prompts the prompt of each choice
     * @param sampling the sampling of each choice
     * @param parsersSeeEnd the parsers are fed end-of-generation tokens and end the answer themselves
     *     ({@link ChatFormat#parsesEndOfGeneration()})
     * @param parsers makes a choice's parser given the sink it reports to
     */
    Generation(BatchEngine engine, List<int[]> prompts, int maxTokens, List<SamplingParams> sampling,
            boolean parsersSeeEnd, Function<ChatFormat.Sink, ChatFormat.Parser> parsers) {
        this.choices = prompts.size();
        try {
            for (int i = 0; i < choices; i++) {
                handles.add(engine.submit(new SequenceRequest(prompts.get(i), maxTokens, sampling.get(i), parsersSeeEnd,
                        new Choice(i, parsers))));
            }
        } catch (RuntimeException e) {
            cancel();
            throw e;
        }
    }

    int choices() {
        return choices;
    }

    /** The next event, or null after {@code millis} without one. */
    Event next(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for every choice to end; returns their Done events by index. */
    Done[] await() throws InterruptedException {
        Done[] done = new Done[choices];
        int left = choices;
        while (left > 0) {
            if (events.take() instanceof Done d) {
                done[d.index()] = d;
                left--;
            }
        }
        return done;
    }

    void cancel() {
        for (BatchEngine.Handle h : handles) {
            h.cancel();
        }
    }

    /** One choice: the engine's listener and the parser's sink, both on the engine thread. */
    private final class Choice implements SequenceListener, ChatFormat.Sink {
        private final int index;
        private final ChatFormat.Parser parser;

        Choice(int index, Function<ChatFormat.Sink, ChatFormat.Parser> parsers) {
            this.index = index;
            this.parser = parsers.apply(this);
        }

        @Override
        public boolean onToken(int token) {
            return parser.push(token);
        }

        @Override
        public void onFinish(SequenceOutcome outcome) {
            ParsedMessage message = parser.finish();
            events.add(new Done(index, message, outcome));
        }

        @Override
        public void content(String delta) {
            events.add(new Content(index, delta));
        }

        @Override
        public void reasoning(String delta) {
            events.add(new Reasoning(index, delta));
        }
    }
}
