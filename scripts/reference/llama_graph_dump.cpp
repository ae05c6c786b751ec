// Reference tool (not part of the build): runs token ids through llama.cpp's public API (llama.h)
// and writes every graph node's full Float32 values to a binary file, so allspark's decoder can be
// compared with llama.cpp node by node and bit for bit (llama-eval-callback prints 4 decimals).
// It also recorded the long-prompt logits in Tests/SparkLMTests/DecoderReferenceTests.swift; read
// dumps with llama_graph_dump.py.
//
// Build against the llama.cpp of the llama-cpp-python 0.3.36 archive (its llama.h has the
// llama_batch_ext API used here), e.g.
//   L=<archive>/vendor/llama.cpp; B=<its build>/bin
//   g++ -O2 -std=c++17 llama_graph_dump.cpp -I$L/include -I$L/ggml/include -L$B \
//       -lllama -lggml -lggml-base -Wl,-rpath,$B -o llama_graph_dump
// Run: llama_graph_dump MODEL OUT.bin THREADS id,id,… [next,next,…]
//   prefills the ids in one batch, then decodes each `next` id one at a time (step 1, 2, …).
// Record layout: name (128 bytes, NUL-padded), int32 step, ne0…ne3, op; then ne0·…·ne3 floats.
#include "llama.h"
#include "ggml.h"
#include "ggml-backend.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include <sstream>

static FILE * out;
static int step = 0;

static bool cb(struct ggml_tensor * t, bool ask, void * ud) {
    if (ask) return true;
    if (t->type != GGML_TYPE_F32 && t->type != GGML_TYPE_F16) return true;
    int64_t n = ggml_nelements(t);
    std::vector<float> data(n);
    if (!ggml_is_contiguous(t)) return true;
    if (t->type == GGML_TYPE_F32) {
        ggml_backend_tensor_get(t, data.data(), 0, n * 4);
    } else {
        std::vector<ggml_fp16_t> h(n);
        ggml_backend_tensor_get(t, h.data(), 0, n * 2);
        for (int64_t i = 0; i < n; i++) data[i] = ggml_fp16_to_fp32(h[i]);
    }
    char name[128] = {0};
    snprintf(name, sizeof name, "%s", t->name);
    int32_t hdr[6] = {step, (int32_t)t->ne[0], (int32_t)t->ne[1], (int32_t)t->ne[2], (int32_t)t->ne[3], (int32_t)t->op};
    fwrite(name, 1, 128, out);
    fwrite(hdr, 4, 6, out);
    fwrite(data.data(), 4, n, out);
    return true;
}

static std::vector<int> parse(const char * s) {
    std::vector<int> v; std::stringstream ss(s); std::string x;
    while (std::getline(ss, x, ',')) v.push_back(atoi(x.c_str()));
    return v;
}

static void set_tokens(llama_batch_ext * batch, const llama_token * tokens, int32_t n, llama_pos pos0) {
    llama_batch_ext_clear(batch);
    for (int32_t i = 0; i < n; ++i) {
        const int32_t idx = llama_batch_ext_add_token(batch, 0, tokens[i]);
        const llama_pos pos = pos0 + i;
        llama_batch_ext_set_pos(batch, idx, &pos);
    }
    llama_batch_ext_set_output_logits(batch, n - 1, true);
}

int main(int argc, char ** argv) {
    if (argc < 5) { fprintf(stderr, "usage\n"); return 1; }
    llama_log_set([](ggml_log_level, const char *, void *) {}, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    out = fopen(argv[2], "wb");
    int threads = atoi(argv[3]);
    std::vector<int> prompt = parse(argv[4]);
    std::vector<int> next;
    if (argc > 5) next = parse(argv[5]);
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = prompt.size() + next.size() + 64;
    cp.n_batch = prompt.size();
    cp.n_threads = threads; cp.n_threads_batch = threads;
    cp.cb_eval = cb; cp.cb_eval_user_data = nullptr;
    llama_context * ctx = llama_init_from_model(model, cp);
    llama_batch_ext * batch = llama_batch_ext_init(ctx);
    set_tokens(batch, prompt.data(), prompt.size(), 0);
    if (llama_process(ctx, LLAMA_PROCESS_TYPE_DECODE, batch)) return 1;
    int pos = prompt.size();
    for (size_t i = 0; i < next.size(); i++) {
        step++;
        set_tokens(batch, &next[i], 1, pos++);
        if (llama_process(ctx, LLAMA_PROCESS_TYPE_DECODE, batch)) return 1;
    }
    fclose(out);
    return 0;
}
