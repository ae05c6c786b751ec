import Testing
@testable import SparkLM

/// SmolLM2's `tokenizer.chat_template`, copied from the GGUF (its `\n` are real newlines inside
/// the Jinja string literals; the SmolLM2 suite checks the file holds exactly this). Expected
/// renderings below come from running this template through jinja2
/// (scripts/reference/chat_template_reference.py), and expected ids from llama.cpp's
/// llama-tokenize on those renderings with special tokens parsed.
let smolLMChatTemplateSource = "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"

let smolLMDefaultSystem = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"

enum ChatReference {
    static let singleUser: [ChatMessage] = [.user("What is the capital of France?")]
    static let singleUserText = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
    static let singleUserIds: [Int32] = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 1780, 314, 260, 3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198]

    static let multiTurn: [ChatMessage] = [.user("Hi!"), .assistant("Hello! How can I help?"), .user("Name a colour.\nOne word.")]
    static let multiTurnText = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\nHello! How can I help?<|im_end|>\n<|im_start|>user\nName a colour.\nOne word.<|im_end|>\n<|im_start|>assistant\n"
    static let multiTurnIds: [Int32] = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28, 7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 26843, 17, 2, 198, 1, 520, 9531, 198, 19556, 17, 1073, 416, 339, 724, 47, 2, 198, 1, 4093, 198, 5820, 253, 7302, 30, 198, 2705, 2229, 30, 2, 198, 1, 520, 9531, 198]

    /// With its own system message and no generation prompt.
    static let ownSystem: [ChatMessage] = [.system("Answer in French."), .user("Hello")]
    static let ownSystemText = "<|im_start|>system\nAnswer in French.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n"
    static let ownSystemIds: [Int32] = [1, 9690, 198, 21350, 281, 3432, 30, 2, 198, 1, 4093, 198, 19556, 2, 198]
}

@Suite struct ChatTemplateTests {
    let template: ChatTemplate

    init() throws { template = try ChatTemplate(jinjaSource: smolLMChatTemplateSource) }

    @Test func readsTheDefaultSystemMessageFromTheTemplate() {
        #expect(template.defaultSystemMessage == smolLMDefaultSystem)
    }

    @Test func rendersAsJinjaDoes() {
        #expect(template.render(ChatReference.singleUser, addGenerationPrompt: true) == ChatReference.singleUserText)
        #expect(template.render(ChatReference.multiTurn, addGenerationPrompt: true) == ChatReference.multiTurnText)
        #expect(template.render(ChatReference.ownSystem, addGenerationPrompt: false) == ChatReference.ownSystemText)
    }

    @Test func defaultSystemMessageIsConfigurable() {
        var custom = template
        custom.defaultSystemMessage = "Be brief."
        #expect(custom.render([.user("Hi")], addGenerationPrompt: true)
                == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
        custom.defaultSystemMessage = nil
        #expect(custom.render([.user("Hi")], addGenerationPrompt: false) == "<|im_start|>user\nHi<|im_end|>\n")
    }

    @Test func piecesForSequenceAssembly() {
        #expect(template.turnPrefix(role: "user") == "<|im_start|>user\n")
        #expect(template.turnSuffix == "<|im_end|>\n")
        #expect(template.generationPrompt == "<|im_start|>assistant\n")
        #expect(template.render([], addGenerationPrompt: true) == "<|im_start|>assistant\n")
    }

    @Test func escapedNewlinesInTheSourceAreUnderstood() throws {
        let escaped = "{{ '<|im_start|>system\\nYou\\'re kind<|im_end|>\\n' }}{{ '<|im_start|>' + message['role'] }}"
        #expect(try ChatTemplate(jinjaSource: escaped).defaultSystemMessage == "You're kind")
    }

    @Test func aSystemTurnBuiltFromMessagesIsNoDefault() throws {
        let qwenStyle = "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
        #expect(try ChatTemplate(jinjaSource: qwenStyle).defaultSystemMessage == nil)
    }

    @Test func nonChatMLTemplatesAreRefused() {
        let llama3 = "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>' }}"
        #expect(throws: TokenizerError(source: "m.gguf", field: "tokenizer.chat_template",
                                       problem: "not a ChatML template (it never writes <|im_start|>); only ChatML (<|im_start|>role\\n…<|im_end|>) is supported")) {
            try ChatTemplate(jinjaSource: llama3, source: "m.gguf")
        }
        let vocabulary = TokenizerVocabulary(tokens: ["a"], merges: [], preTokenizer: "gpt-2", source: "m.gguf")
        #expect(throws: TokenizerError(source: "m.gguf", field: "tokenizer.chat_template",
                                       problem: "missing; expected a ChatML chat template")) {
            try ChatTemplate(vocabulary: vocabulary)
        }
    }
}

@Suite(.enabled(if: TokenizerFixtures.smolLMPresent, Comment(rawValue: TokenizerFixtures.smolLMAbsentMessage)))
struct ChatTemplateSmolLMTests {
    let tokenizer: BPETokenizer

    init() throws { tokenizer = try TokenizerFixtures.smolLM.get() }

    @Test func theFileHoldsTheTemplateTheseTestsUse() throws {
        #expect(tokenizer.vocabulary.chatTemplate == smolLMChatTemplateSource)
        #expect(try ChatTemplate(vocabulary: tokenizer.vocabulary).defaultSystemMessage == smolLMDefaultSystem)
    }

    @Test func renderedConversationsEncodeAsInLlamaCpp() throws {
        let template = try ChatTemplate(vocabulary: tokenizer.vocabulary)
        let cases: [([ChatMessage], Bool, [Int32])] = [
            (ChatReference.singleUser, true, ChatReference.singleUserIds),
            (ChatReference.multiTurn, true, ChatReference.multiTurnIds),
            (ChatReference.ownSystem, false, ChatReference.ownSystemIds),
        ]
        for (messages, generationPrompt, ids) in cases {
            let text = template.render(messages, addGenerationPrompt: generationPrompt)
            #expect(tokenizer.encode(text, parseSpecial: true) == ids)
        }
    }
}
