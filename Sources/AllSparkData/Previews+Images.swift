import Foundation
import SparkEngine

extension SamplePreviews {
    /// The preview of an rgb, msi, hsi, sar, infrared, oblique or video sample; nil for the other
    /// modalities. Every preview fits in `options.width × options.height` cells.
    public static func imagesPreview(_ sample: Sample, options: Preview.Options) -> Preview? {
        let origin = (sample.georeference.map { ", " + $0 } ?? "") + (sample.provenance.isGenerated ? ", generated" : "")
        switch sample.content {
        case .image(let image):
            return Preview(rows: RasterPreview.rows(image, options: options),
                           caption: "\(shape(image)) RGB\(origin)")
        case .multispectral(let bands, _, let wavelengths):
            let composite = MultispectralComposite.rgb(bands, wavelengths: wavelengths)
            let range = wavelengths.isEmpty ? "" : ", \(Int(wavelengths.min()!))–\(Int(wavelengths.max()!)) nm"
            return Preview(rows: RasterPreview.rows(composite, options: options),
                           caption: "\(shape(bands)) multispectral\(range), shown as red/green/blue bands\(origin)")
        case .spectrum(let values, let wavelengths):
            let finite = values.scalars.filter(\.isFinite)
            let range = wavelengths.isEmpty ? "" : ", \(Int(wavelengths.first!))–\(Int(wavelengths.last!)) nm"
            let valueRange = finite.isEmpty ? "" : String(format: ", values %.3g–%.3g", finite.min()!, finite.max()!)
            return Preview(rows: SpectrumPreview.rows(values: values.scalars, wavelengths: wavelengths, options: options),
                           caption: "\(values.count) bands\(range)\(valueRange)\(origin)")
        case .sar(let magnitude) where magnitude.rank == 2:
            let image = (try? SARScaling.normalisedDecibels(magnitude, dynamicRange: 40)) ?? magnitude
            let shown = image.reshaped([1, magnitude.dim(0), magnitude.dim(1)])
            return Preview(rows: RasterPreview.rows(shown, options: options),
                           caption: "\(shape(magnitude)) SAR magnitude, 40 dB shown\(origin)")
        case .infrared(let query, let gallery, let names):
            let match: String
            if case .galleryMatch(let index)? = sample.label, index < names.count { match = ", match: \(names[index])" } else { match = "" }
            let shown = ImageStripPreview.capacity(count: gallery.count + 1, width: options.width) - 1
            return Preview(rows: ImageStripPreview.rows([query] + gallery, options: options),
                           caption: "IR query + \(gallery.count) RGB gallery images (\(shown) shown)\(match)\(origin)")
        case .oblique(let views, _):
            var images = views
            var depthNote = ""
            if case .depthMap(let depth)? = sample.label {
                images.append(depthPicture(depth))
                depthNote = " + ground-truth depth"
            }
            return Preview(rows: ImageStripPreview.rows(images, options: options),
                           caption: "\(views.count) views\(depthNote), first is the reference\(origin)")
        case .video(let frames, let fps):
            let count = frames.dim(0)
            let shown = ImageStripPreview.capacity(count: count, width: options.width)
            let indices = (try? FrameSampling.uniformIndices(frameCount: count, target: shown)) ?? [0]
            let pictures = indices.map { frames[row: $0] }
            return Preview(rows: ImageStripPreview.rows(pictures, options: options),
                           caption: String(format: "%d frames %d × %d at %.3g fps (%d shown)", count, frames.dim(3), frames.dim(2), fps, shown) + origin)
        default:
            return nil
        }
    }

    static func shape(_ tensor: Tensor) -> String {
        tensor.shape.map(String.init).joined(separator: " × ")
    }

    /// Depth as gray, near bright and far dark; zero (no ground truth) black.
    static func depthPicture(_ depth: Tensor) -> Tensor {
        let valid = depth.scalars.filter { $0 > 0 && $0.isFinite }
        let low = valid.min() ?? 0, high = valid.max() ?? 1
        let range = max(high - low, 1e-6)
        let scalars = depth.scalars.map { $0 > 0 && $0.isFinite ? 1 - 0.8 * ($0 - low) / range : 0 }
        return Tensor(shape: [1] + depth.shape, scalars: scalars)
    }
}
