#!/usr/bin/env python3
"""Renders chat-template goldens for dev.vireo.chat with Python's jinja2, the engine Hugging Face uses.

The environment mirrors transformers' chat-template renderer (utils/chat_template_utils.py): a sandboxed
jinja2 environment with trim_blocks and lstrip_blocks, the loopcontrols extension, the {% generation %}
tag (rendered as its body, as transformers does outside training), and three helpers:
raise_exception(msg), strftime_now(fmt) and a tojson filter that calls json.dumps with
ensure_ascii=False (so no HTML escaping, unlike jinja's own tojson). The template is called the way
transformers calls it: messages, tools (None when absent), documents (None), add_generation_prompt,
then the tokenizer's special tokens and the caller's extra variables.

Two things are fixed for reproducibility: strftime_now formats a fixed instant (NOW below), and every
case is listed in this file. A message always carries "role" and "content" (content may be None); its
other fields appear only when set, which is how dev.vireo.chat.ChatMessage presents a message.

Output, under OUT (default core/src/test/resources/chat): cases.json with every case's inputs, and one
JSON file per template holding the template's file name and sha256, the special tokens, and for each
case either the expected text or the error jinja2 raised. The templates themselves are read from TEMPLATES (default
.cache/llama.cpp/src/models/templates, see tools/llama-cpp/fetch.sh); they are not committed.

Usage: /usr/bin/python3 tools/chat-goldens/make-goldens.py [--templates DIR] [--out DIR]
Needs Debian's python3-jinja2 (apt-get install -y python3-jinja2).
"""
import argparse
import hashlib
import json
import os
import sys
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

NOW = datetime(2025, 3, 7, 14, 5, 9)

# template file -> special tokens the tokenizer passes (the ones each template refers to).
TEMPLATES = {
    "meta-llama-Llama-3.1-8B-Instruct.jinja": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "meta-llama-Llama-3.2-3B-Instruct.jinja": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "meta-llama-Llama-3.3-70B-Instruct.jinja": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "Qwen-Qwen2.5-7B-Instruct.jinja": {"eos_token": "<|im_end|>"},
    "Qwen-Qwen3-0.6B.jinja": {"eos_token": "<|im_end|>"},
    "Qwen-QwQ-32B.jinja": {"eos_token": "<|im_end|>"},
    "Qwen3-Coder.jinja": {"eos_token": "<|im_end|>"},
    "Qwen3.5-4B.jinja": {"eos_token": "<|im_end|>"},
    "deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja": {
        "bos_token": "<｜begin▁of▁sentence｜>", "eos_token": "<｜end▁of▁sentence｜>"},
    "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja": {
        "bos_token": "<｜begin▁of▁sentence｜>", "eos_token": "<｜end▁of▁sentence｜>"},
    "mistralai-Mistral-Nemo-Instruct-2407.jinja": {"bos_token": "<s>", "eos_token": "</s>"},
    "Mistral-Small-3.2-24B-Instruct-2506.jinja": {"bos_token": "<s>", "eos_token": "</s>"},
    "openai-gpt-oss-120b.jinja": {"bos_token": "<|startoftext|>", "eos_token": "<|return|>"},
    "google-gemma-2-2b-it.jinja": {"bos_token": "<bos>", "eos_token": "<eos>"},
    "microsoft-Phi-3.5-mini-instruct.jinja": {"bos_token": "<s>", "eos_token": "<|endoftext|>"},
}

# A copy of dev.vireo.chat.ChatTemplate.CHATML_FALLBACK (the test checks the two hashes agree).
CHATML_FALLBACK = """{%- for message in messages %}
    {{- '<|im_start|>' + message['role'] + '\\n' }}
    {%- if message['content'] is string %}
        {{- message['content'] }}
    {%- endif %}
    {{- '<|im_end|>\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""


def msg(role, content, **fields):
    m = {"role": role, "content": content}
    m.update(fields)
    return m


def call(call_id, name, arguments):
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


SYSTEM = msg("system", "You are a helpful assistant.")
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather ☀ in a given location",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string", "description": "City and country, e.g. Paris, France"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "default": "celsius",
                         "description": "Temperature unit"},
                "days": {"type": "integer", "description": "Forecast days", "default": 1},
                "tags": {"type": "array", "items": {"type": "string"}},
                "hourly": {"type": "boolean"},
            },
            "required": ["location"],
        },
    },
}
TIME_TOOL = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current time in UTC",
        "parameters": {"type": "object", "properties": {}},
    },
}
TOOLS = [WEATHER_TOOL, TIME_TOOL]
ARGS = {"location": "Paris, France", "unit": "celsius", "days": 3,
        "detail": {"hourly": True, "threshold": 0.5, "tags": ["a", "ü \"q\""], "none": None}}
WEATHER_CALL = call("abc123DEF", "get_weather", ARGS)
WEATHER_RESULT = msg("tool", '{"temperature": 22, "condition": "sunny"}', tool_call_id="abc123DEF")
UNICODE = "  Grüß dich! 你好 👋🏽\n\nLine two\twith a tab, \"double\" and 'single' quotes, a back\\slash, </s> and <|eot_id|>  \n"

# name, messages, add_generation_prompt, tools (or None), extra variables
CASES = [
    ("system_user", [SYSTEM, msg("user", "What is the capital of France?")], True, None, {}),
    ("user_only", [msg("user", "Hello!")], True, None, {}),
    ("system_user_no_generation_prompt", [SYSTEM, msg("user", "Hello!")], False, None, {}),
    ("multi_turn", [SYSTEM, msg("user", "What is the capital of France?"), msg("assistant", "Paris."),
                    msg("user", "And of Germany?")], True, None, {}),
    ("multi_turn_ending_with_assistant", [SYSTEM, msg("user", "Capital of France?"), msg("assistant", "Paris."),
                                          msg("user", "And of Germany?"), msg("assistant", "Berlin.")],
     False, None, {}),
    ("no_system_multi_turn", [msg("user", "Hi"), msg("assistant", "Hello! How can I help?"),
                              msg("user", "Tell me a joke.")], True, None, {}),
    ("unicode_and_whitespace", [msg("system", "Réponds en français. ✓\n"), msg("user", UNICODE),
                                msg("assistant", "  D'accord — voilà 😀\n"), msg("user", "Merci\r\n")],
     True, None, {}),
    ("tools_available", [SYSTEM, msg("user", "What's the weather in Paris?")], True, TOOLS, {}),
    ("tool_roundtrip", [SYSTEM, msg("user", "What's the weather in Paris?"),
                        msg("assistant", None, tool_calls=[WEATHER_CALL]), WEATHER_RESULT], True, TOOLS, {}),
    ("tool_roundtrip_empty_content_string_arguments",
     [msg("user", "What's the weather in Paris?"),
      msg("assistant", "", tool_calls=[call("abc123DEF", "get_weather", '{"location": "Paris, France"}')]),
      WEATHER_RESULT], True, TOOLS, {}),
    ("tool_roundtrip_then_answer",
     [SYSTEM, msg("user", "What's the weather in Paris?"), msg("assistant", "", tool_calls=[WEATHER_CALL]),
      WEATHER_RESULT, msg("assistant", "It is 22 °C and sunny in Paris."), msg("user", "Thanks!")],
     True, TOOLS, {}),
    ("two_tool_calls",
     [msg("user", "Weather and time?"),
      msg("assistant", "", tool_calls=[WEATHER_CALL, call("xyz789GHI", "get_time", {})]),
      WEATHER_RESULT, msg("tool", "14:05", tool_call_id="xyz789GHI")], True, TOOLS, {}),
    ("llama_builtin_tools_and_date",
     [SYSTEM, msg("user", "Search the news about Vireo."),
      msg("assistant", "", tool_calls=[call("srch00001", "brave_search", {"query": "Vireo news"})]),
      msg("tool", "No results.", tool_call_id="srch00001")], True, TOOLS,
     {"builtin_tools": ["brave_search", "wolfram_alpha", "code_interpreter"], "date_string": "02 Mar 2025"}),
    ("tools_in_system_message", [SYSTEM, msg("user", "What's the weather in Paris?")], True, TOOLS,
     {"tools_in_user_message": False}),
    ("thinking_in_history",
     [msg("user", "What is 2+2?"), msg("assistant", "<think>\nSimple arithmetic.\n</think>\n\n4"),
      msg("user", "And 3+3?")], True, None, {}),
    ("thinking_last_turn",
     [msg("user", "What is 2+2?"), msg("assistant", "<think>\nSimple arithmetic.\n</think>\n\n4")],
     False, None, {}),
    ("reasoning_content_field",
     [msg("user", "What is 2+2?"), msg("assistant", "4", reasoning_content="Two plus two is four.")],
     False, None, {}),
    ("enable_thinking_false", [msg("user", "Hello!")], True, None, {"enable_thinking": False}),
    ("enable_thinking_true", [msg("user", "Hello!")], True, None, {"enable_thinking": True}),
    ("gpt_oss_options",
     [msg("developer", "Answer tersely."), msg("user", "Hi"),
      msg("assistant", "Hello.", thinking="The user greets me.")], False, None,
     {"reasoning_effort": "high", "model_identity": "You are Vireo, a test model."}),
    ("gpt_oss_builtin_tools", [msg("user", "Hi")], True, TOOLS, {"builtin_tools": ["browser", "python"]}),
    ("roles_not_alternating", [msg("user", "One"), msg("user", "Two")], True, None, {}),
    ("system_only", [SYSTEM], True, None, {}),
]


class GenerationTag(jinja2.ext.Extension):
    """transformers' AssistantTracker outside training: {% generation %} renders its body unchanged."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_render", []), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def build_environment():
    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    def strftime_now(fmt):
        return NOW.strftime(fmt)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[GenerationTag, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env


def render_case(template, tokens, messages, add_generation_prompt, tools, variables):
    try:
        text = template.render(messages=messages, tools=tools, documents=None,
                               add_generation_prompt=add_generation_prompt, **tokens, **variables)
        return {"expected": text}
    except jinja2.exceptions.TemplateError as e:
        # raise_exception raises TemplateError itself; jinja's own subclasses (UndefinedError, ...)
        # are engine errors whose wording is Python's.
        return {"error": {"type": type(e).__name__, "message": str(e)}}
    except Exception as e:  # TypeError and friends: the template did something Python refuses
        return {"error": {"type": type(e).__name__, "message": str(e)}}


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--templates", default=os.path.join(root, ".cache/llama.cpp/src/models/templates"))
    ap.add_argument("--out", default=os.path.join(root, "core/src/test/resources/chat"))
    args = ap.parse_args()
    env = build_environment()
    os.makedirs(args.out, exist_ok=True)
    inputs = []
    for case_name, messages, gen, tools, variables in CASES:
        case = {"name": case_name, "messages": messages, "add_generation_prompt": gen}
        if tools is not None:
            case["tools"] = tools
        if variables:
            case["variables"] = variables
        inputs.append(case)
    write_json(os.path.join(args.out, "cases.json"), {
        "generator": "tools/chat-goldens/make-goldens.py",
        "now": NOW.isoformat(),
        "cases": inputs,
    })
    sources = [(name, tokens, read_bytes(os.path.join(args.templates, name))) for name, tokens in TEMPLATES.items()]
    sources.append(("ChatTemplate.CHATML_FALLBACK", {}, CHATML_FALLBACK.encode("utf-8")))
    for name, tokens, raw in sources:
        template = env.from_string(raw.decode("utf-8"))
        results = {}
        for case_name, messages, gen, tools, variables in CASES:
            results[case_name] = render_case(template, tokens, messages, gen, tools, variables)
        stem = "chatml-fallback" if name.startswith("ChatTemplate.") else name[:-len(".jinja")]
        write_json(os.path.join(args.out, stem + ".json"), {
            "template": name,
            "template_sha256": hashlib.sha256(raw).hexdigest(),
            "generator": "tools/chat-goldens/make-goldens.py with jinja2 " + jinja2.__version__,
            "special_tokens": tokens,
            "results": results,
        })
        errors = sum(1 for r in results.values() if "error" in r)
        print(f"{name}: {len(results)} cases, {errors} raise", file=sys.stderr)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()

def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)
        f.write("\n")

if __name__ == "__main__":
    main()
