import Foundation
import SparkEngine
import SparkFormats

/// oblique: a folder of calibrated views →
/// `.oblique(views: [[3, H, W]], cameras: [Camera])`, label `.depthMap([H', W'])` when present.
///
/// Layout (this project's convention, one name stem per view):
///
/// ```
/// view0.png   view0_cam.txt     the reference view (PNG or JPEG) and its MVSNet camera
/// view1.png   view1_cam.txt     further views, numbered without gaps
/// …
/// depth.npy                     optional: float32 (H', W') depth of the reference view along its
///                               optical axis, in scene units; 0 where unknown
/// ```
///
/// Every view needs its camera file; all views have the same size; 2 to `maxViews` views. Other
/// files in the folder are ignored. No options.
public struct ObliqueLoader: SampleLoader {
    public init() {}
    public var modality: Modality { .oblique }
    public var fileExtensions: [String] { ["/"] }

    public static let maxViews = 64

    public func load(path: String, options: [String: String], limits: LoadLimits) throws -> Sample {
        _ = try LoaderOptions(options, file: path, allowed: [])
        try BoundedFile.requireDirectory(path, what: "views view0.png, view1.png … with view0_cam.txt … (MVSNet cameras)")
        let names = Set(try BoundedFile.listing(of: path))
        func viewFile(_ index: Int) -> String? {
            ["png", "jpg", "jpeg"].map { "view\(index).\($0)" }.first { names.contains($0) }
        }
        var count = 0
        while count <= Self.maxViews, viewFile(count) != nil { count += 1 }
        guard count <= Self.maxViews else {
            throw DataError.malformed(file: path, problem: "more than \(Self.maxViews) views; expected at most \(Self.maxViews)")
        }
        if let stray = names.sorted().first(where: { name in
            name.hasPrefix("view") && ImageFile.isImageName(name)
                && Int((name.dropFirst(4).split(separator: ".").first).map(String.init) ?? "").map { $0 >= count } == true
        }) {
            throw DataError.malformed(file: path, problem: "has \(stray) but no view\(count); expected views numbered view0, view1, … without gaps")
        }
        guard count >= 2 else {
            throw DataError.malformed(file: path, problem: "\(count == 0 ? "no views" : "only view0"); expected at least two views view0.png, view1.png … with cameras view0_cam.txt …")
        }

        var views: [Tensor] = [], cameras: [Camera] = []
        var totalValues = 0
        for index in 0..<count {
            let imagePath = (path as NSString).appendingPathComponent(viewFile(index)!)
            let view = try ImageFile.read(path: imagePath, limits: limits).tensor(rgb: true)
            if let first = views.first, first.shape != view.shape {
                throw DataError.malformed(file: imagePath, problem: "is \(view.dim(2)) × \(view.dim(1)); expected the size of view0, \(first.dim(2)) × \(first.dim(1))")
            }
            totalValues += view.count
            guard totalValues <= limits.maxElements else {
                throw DataError.malformed(file: path, problem: "the views decode to more than \(limits.maxElements) values; expected fewer or smaller views")
            }
            let cameraPath = (path as NSString).appendingPathComponent("view\(index)_cam.txt")
            guard names.contains("view\(index)_cam.txt") else {
                throw DataError.malformed(file: path, problem: "view\(index) has no camera file; expected view\(index)_cam.txt (MVSNet format) beside it")
            }
            views.append(view)
            cameras.append(try MVSNetCameraFile.read(path: cameraPath, limits: limits))
        }

        var label: SampleLabel?
        if names.contains("depth.npy") {
            let depthPath = (path as NSString).appendingPathComponent("depth.npy")
            let what = "the reference view's depth, NPY float32 (height, width)"
            let array = try NumpyInput.read(path: depthPath, what: what, limits: limits)
            guard array.shape.count == 2, array.shape[0] > 0, array.shape[1] > 0 else {
                throw DataError.malformed(file: depthPath, problem: "shape is \(array.shape); expected (height, width)")
            }
            let values = try NumpyInput.finiteFloats(array, path: depthPath, allowed: [.float32], what: "depths")
            if let negative = values.firstIndex(where: { $0 < 0 }) {
                throw DataError.malformed(file: depthPath, problem: "element \(negative) is \(values[negative]); expected depths ≥ 0 (0 = unknown)")
            }
            label = .depthMap(Tensor(shape: array.shape, scalars: values))
        }
        return Sample(modality: .oblique, path: path, content: .oblique(views: views, cameras: cameras), label: label)
    }
}
