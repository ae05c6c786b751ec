/// Text-mode previews of samples, one function per kind of data. The images half
/// (`Previews+Images.swift`) and the structured half each add a dispatch function; the combined
/// `SamplePreviews.preview(_:options:)` chooses between them.
public enum SamplePreviews {}
