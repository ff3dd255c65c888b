/// The version printed by `dramatis --version` and written into transcripts.
public enum DramatisVersion {
    public static let string = "0.1.0"
}
