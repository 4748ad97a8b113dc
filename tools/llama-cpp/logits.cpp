// llama.cpp's view of a model, for Vireo's goldens: raw logits per prompt position (top K, sorted)
// and a greedy continuation, computed by llama.cpp itself through libllama.
//
// Build: tools/llama-cpp/build-logits.sh      Run: see tools/goldens/README.md
// Output (stdout), one JSON object per line:
//   {"pos": i, "rms": r, "top": [[id, logit], ...]}   for every prompt position
//   {"greedy": [id, ...]}                             the greedy continuation
#include "llama.h"
#include "ggml-backend.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

static std::vector<llama_token> parse_ids(const char * s) {
    std::vector<llama_token> ids;
    const char * p = s;
    while (*p) {
        char * end = nullptr;
        long v = std::strtol(p, &end, 10);
        if (end == p) {
            std::fprintf(stderr, "bad id list: %s\n", s);
            std::exit(2);
        }
        ids.push_back((llama_token) v);
        p = *end == ',' ? end + 1 : end;
    }
    return ids;
}

static void print_position(int pos, const float * logits, int n_vocab, int top) {
    double sq = 0;
    std::vector<int> idx(n_vocab);
    for (int i = 0; i < n_vocab; i++) {
        idx[i] = i;
        sq += (double) logits[i] * logits[i];
    }
    int k = std::min(top, n_vocab);
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
        return logits[a] > logits[b] || (logits[a] == logits[b] && a < b);
    });
    std::printf("{\"pos\": %d, \"rms\": %.9g, \"top\": [", pos, std::sqrt(sq / n_vocab));
    for (int i = 0; i < k; i++) {
        std::printf("%s[%d, %.9g]", i ? ", " : "", idx[i], logits[idx[i]]);
    }
    std::printf("]}\n");
}

static int argmax(const float * logits, int n_vocab) {
    int best = 0;
    for (int i = 1; i < n_vocab; i++) {
        if (logits[i] > logits[best]) best = i;
    }
    return best;
}

int main(int argc, char ** argv) {
    const char * model_path = nullptr;
    const char * ids_arg = nullptr;
    const char * backend_dir = std::getenv("LLAMA_BACKEND_DIR");
    int top = 10, n_gen = 32, n_threads = 2, n_ctx = 1024;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto next = [&]() -> const char * {
            if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); std::exit(2); }
            return argv[++i];
        };
        if (a == "-m") model_path = next();
        else if (a == "--ids") ids_arg = next();
        else if (a == "--top") top = std::atoi(next());
        else if (a == "--gen") n_gen = std::atoi(next());
        else if (a == "-t") n_threads = std::atoi(next());
        else if (a == "-c") n_ctx = std::atoi(next());
        else { std::fprintf(stderr, "unknown argument %s\n", a.c_str()); return 2; }
    }
    if (!model_path || !ids_arg) {
        std::fprintf(stderr, "usage: %s -m MODEL.gguf --ids 1,2,3 [--top 10] [--gen 32] [-t 2] [-c 1024]\n", argv[0]);
        return 2;
    }
    // The prebuilt libraries keep the CPU backend in a separate library that must be loaded.
    if (backend_dir) ggml_backend_load_all_from_path(backend_dir);
    else ggml_backend_load_all();
    llama_backend_init();

    llama_model_params mp = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(model_path, mp);
    if (!model) { std::fprintf(stderr, "could not load %s\n", model_path); return 1; }
    const llama_vocab * vocab = llama_model_get_vocab(model);
    const int n_vocab = llama_vocab_n_tokens(vocab);

    std::vector<llama_token> prompt = parse_ids(ids_arg);
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = std::max<int>(n_ctx, (int) prompt.size() + n_gen + 1);
    cp.n_batch = cp.n_ctx;
    cp.n_ubatch = cp.n_ctx;
    cp.n_threads = n_threads;
    cp.n_threads_batch = n_threads;
    // Goldens compare the maths, so llama.cpp runs its full-precision path: F32 keys and values (its
    // default KV cache is F16) and no flash attention (its CPU flash-attention kernel rounds through
    // F16 and moves logits by ~1e-3 of their scale; with it off, llama.cpp and Vireo agree to ~1e-6).
    // gpt-oss runs on this path unchanged: its attention sinks go through ggml_soft_max_add_sinks when
    // flash attention is off, and its sliding-window layers get their own (iSWA) F32 cache, masked by
    // position (q - k >= n_swa) as in full prompts.
    cp.type_k = GGML_TYPE_F32;
    cp.type_v = GGML_TYPE_F32;
    cp.flash_attn_type = LLAMA_FLASH_ATTN_TYPE_DISABLED;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) { std::fprintf(stderr, "could not create a context\n"); return 1; }

    llama_batch batch = llama_batch_init((int32_t) prompt.size(), 0, 1);
    for (size_t i = 0; i < prompt.size(); i++) {
        batch.token[i] = prompt[i];
        batch.pos[i] = (llama_pos) i;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = 1;
    }
    batch.n_tokens = (int32_t) prompt.size();
    if (llama_decode(ctx, batch) != 0) { std::fprintf(stderr, "llama_decode failed on the prompt\n"); return 1; }
    for (size_t i = 0; i < prompt.size(); i++) {
        print_position((int) i, llama_get_logits_ith(ctx, (int32_t) i), n_vocab, top);
    }

    std::vector<llama_token> out;
    llama_token next = argmax(llama_get_logits_ith(ctx, (int32_t) prompt.size() - 1), n_vocab);
    for (int g = 0; g < n_gen; g++) {
        out.push_back(next);
        llama_batch one = llama_batch_get_one(&next, 1);
        if (llama_decode(ctx, one) != 0) { std::fprintf(stderr, "llama_decode failed at step %d\n", g); return 1; }
        next = argmax(llama_get_logits_ith(ctx, -1), n_vocab);
    }
    std::printf("{\"greedy\": [");
    for (size_t i = 0; i < out.size(); i++) std::printf("%s%d", i ? ", " : "", out[i]);
    std::printf("]}\n");

    llama_batch_free(batch);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
