/// The transcript browser: saved transcripts, filter text and highlighted row.
public struct BrowserState: FilteredList, Sendable, Hashable {
    public var transcripts: [TranscriptRow]
    public var filter: String
    public var selection: Int
    public var isLoaded: Bool
    /// Why listing failed, if it did.
    public var error: String?

    public init(transcripts: [TranscriptRow] = [], filter: String = "", selection: Int = 0, isLoaded: Bool = false,
                error: String? = nil) {
        self.transcripts = transcripts
        self.filter = filter
        self.selection = selection
        self.isLoaded = isLoaded
        self.error = error
    }

    /// Matching transcripts, newest first.
    public var visible: [TranscriptRow] { transcripts.filter { $0.matches(filter) } }
}
