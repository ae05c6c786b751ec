import SparkEngine
print("\(AllSparkVersion.name) \(AllSparkVersion.version)")
