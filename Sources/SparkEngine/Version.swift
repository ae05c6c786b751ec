/// The program's name and version, shown in the TUI's status line and `--version`.
public enum AllSparkVersion {
    public static let name = "allspark"
    public static let version = "0.1.0"
}
