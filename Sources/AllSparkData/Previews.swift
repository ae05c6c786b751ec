/// Text-mode previews of samples, one function per kind of data. The images half
/// (`Previews+Images.swift`) and the structured half (`Previews+Structured.swift`) each add a
/// dispatch function; `preview(_:options:)` chooses between them.
public enum SamplePreviews {
    /// The preview of any sample, within `options.width` × `options.height` cells.
    public static func preview(_ sample: Sample, options: Preview.Options) -> Preview {
        imagesPreview(sample, options: options) ?? structuredPreview(sample, options: options)
            ?? Preview(lines: ["(no preview for \(sample.content.kindName))"], caption: sample.path)
    }
}
