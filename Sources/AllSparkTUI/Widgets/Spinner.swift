/// The frame of a busy indicator after `elapsed` seconds (ten frames a second).
public enum Spinner {
    public static func frame(elapsed: Double, glyphs: Glyphs) -> Character {
        let frames = glyphs.spinnerFrames
        let index = Int(max(0, elapsed) * 10) % frames.count
        return frames[index]
    }
}
