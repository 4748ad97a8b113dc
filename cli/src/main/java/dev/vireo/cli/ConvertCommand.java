/*
 * `vireo convert HF_DIR -o MODEL.gguf`: a Hugging Face gpt-oss checkpoint to the GGUF llama.cpp reads
 * (GptOssConverter: MXFP4 experts repacked, not dequantized; the other matrices kept as they are or
 * converted with --type). Tested by ConvertCommandTest.
 */
package dev.vireo.cli;

import dev.vireo.model.arch.GptOssConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Converts a checkpoint to GGUF. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a Hugging Face gpt-oss checkpoint to a GGUF file that llama.cpp and Vireo load.")
final class ConvertCommand implements Callable<Integer> {

    @Parameters(paramLabel = "HF_DIR", description = "the checkpoint: config.json, tokenizer.json, *.safetensors")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "the GGUF file to write")
    Path output;

    @Option(names = "--type", paramLabel = "T", defaultValue = "source", converter = TypeConverter.class,
            description = "type of the matrices other than the experts: source (as stored), f32, bf16 or q8_0"
                    + " (default: ${DEFAULT-VALUE}); experts stay MXFP4, norms, biases and the router F32")
    GptOssConverter.MatrixType type;

    @Option(names = {"-f", "--force"}, description = "overwrite FILE if it exists")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(input)) {
            throw new IllegalArgumentException(input + " is not a directory (expected a Hugging Face checkpoint)");
        }
        if (Files.exists(output) && !force) {
            throw new IllegalArgumentException(output + " exists; use --force to overwrite it");
        }
        long t0 = System.nanoTime();
        GptOssConverter.convert(input, output, type, Progress::status);
        Progress.done(String.format("wrote %s (%.1f GB) in %.1f s", output, Files.size(output) / 1e9,
                (System.nanoTime() - t0) / 1e9));
        return 0;
    }

    static final class TypeConverter implements CommandLine.ITypeConverter<GptOssConverter.MatrixType> {
        @Override
        public GptOssConverter.MatrixType convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "source" -> GptOssConverter.MatrixType.SOURCE;
                case "f32" -> GptOssConverter.MatrixType.F32;
                case "bf16" -> GptOssConverter.MatrixType.BF16;
                case "q8_0" -> GptOssConverter.MatrixType.Q8_0;
                default -> throw new CommandLine.TypeConversionException(
                        "unknown type '" + value + "' (source, f32, bf16, q8_0)");
            };
        }
    }
}
