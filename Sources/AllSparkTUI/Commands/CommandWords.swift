/// Splits a command line into words the way a shell does, minus everything a shell does besides:
/// words are separated by spaces or tabs; "double" and 'single' quotes group words with spaces
/// (a path, a prompt to compare); a backslash outside single quotes takes the next character as it
/// is. No variables, globs or `~`: what is typed is what the command gets.
public enum CommandWords {
    public static func split(_ line: String) throws -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in line {
            if escaped {
                current.append(c); escaped = false; inWord = true
                continue
            }
            if let open = quote {
                if c == open { quote = nil }
                else if c == "\\" && open == "\"" { escaped = true }
                else { current.append(c) }
                continue
            }
            switch c {
            case " ", "\t":
                if inWord { words.append(current); current = ""; inWord = false }
            case "\"", "'":
                quote = c; inWord = true
            case "\\":
                escaped = true
            default:
                current.append(c); inWord = true
            }
        }
        if let open = quote { throw InterpreterError("unterminated \(open) quote; close it or leave the quotes out") }
        if escaped { throw InterpreterError("a backslash ends the line; remove it or add the character it escapes") }
        if inWord { words.append(current) }
        return words
    }

    /// The text after the first `count` words (spaces around it trimmed), for commands that take
    /// the rest of the line as it is typed (`prompt set What's in this image?` keeps its apostrophe).
    public static func remainder(of line: String, afterWords count: Int) -> String {
        var rest = Substring(line)
        for _ in 0..<count {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            rest = rest.drop { $0 != " " && $0 != "\t" }
        }
        return rest.trimmingSpaces()
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
