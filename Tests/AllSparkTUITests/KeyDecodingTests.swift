import Testing
@testable import AllSparkTUI

/// ncurses character codes to keys (function-key codes need a running ncurses and are covered by
/// the end-to-end tests).
@Suite struct KeyDecodingTests {
    @Test func controlAndSpecialCharacters() {
        #expect(CursesInput.decodeCharacter(9) == .tab)
        #expect(CursesInput.decodeCharacter(13) == .enter)
        #expect(CursesInput.decodeCharacter(10) == .enter)
        #expect(CursesInput.decodeCharacter(127) == .backspace)
        #expect(CursesInput.decodeCharacter(3) == .control("c"))
        #expect(CursesInput.decodeCharacter(4) == .control("d"))
        #expect(CursesInput.decodeCharacter(26) == .control("z"))
        #expect(CursesInput.decodeCharacter(31) == .control("_"))
    }

    @Test func printableCharacters() {
        #expect(CursesInput.decodeCharacter(0x71) == .character("q"))
        #expect(CursesInput.decodeCharacter(0x20) == .character(" "))
        #expect(CursesInput.decodeCharacter(0xE9) == .character("é"))
        #expect(CursesInput.decodeCharacter(0x65E5) == .character("日"))
        #expect(CursesInput.decodeCharacter(0xD800) == nil)  // a lone surrogate is not a character
    }

    /// Control keys decode to the bytes readline is given for them, except the ones terminals
    /// send for Tab (Ctrl-i), Enter (Ctrl-j, Ctrl-m) and Backspace (Ctrl-h).
    @Test func controlKeysRoundTrip() {
        let aliases: [Character: Key] = ["i": .tab, "j": .enter, "m": .enter, "h": .backspace]
        for letter in "abcdefghijklmnopqrstuvwxyz" {
            guard case .bytes(let bytes)? = ReadlineKeys.input(for: .control(letter)) else { Issue.record("\(letter)"); continue }
            #expect(CursesInput.decodeCharacter(UInt32(bytes[0])) == (aliases[letter] ?? .control(letter)))
        }
    }
}
