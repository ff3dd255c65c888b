/// The persona picker: all listings, the filter typed so far, and the highlighted row.
public struct PickerState: FilteredList, Sendable, Hashable {
    public var personas: [PersonaListing]
    public var filter: String
    /// Index into `visible`.
    public var selection: Int
    /// False until the first load finished.
    public var isLoaded: Bool

    public init(personas: [PersonaListing] = [], filter: String = "", selection: Int = 0, isLoaded: Bool = false) {
        self.personas = personas
        self.filter = filter
        self.selection = selection
        self.isLoaded = isLoaded
    }

    /// The listings that match the filter, in library order.
    public var visible: [PersonaListing] { personas.filter { $0.matches(filter) } }
}
