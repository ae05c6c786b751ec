/// Placeholder so that the structured previews build before the images half's `Previews.swift`
/// (which declares `SamplePreviews` and combines both halves) is merged. The lead deletes this file.
public enum SamplePreviews {}
