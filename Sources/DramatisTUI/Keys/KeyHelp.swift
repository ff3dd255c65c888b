import DramatisCore

/// The help overlay's (F1) key list and the key tables of `docs/tui.md`, generated from `KeyBindings.table`.
public enum KeyHelp {
    /// One line of help: the keys and what they do.
    public struct Entry: Sendable, Hashable {
        public var keys: String
        public var action: String
    }

    /// A titled group of entries.
    public struct Section: Sendable, Hashable {
        public var title: String
        public var entries: [Entry]
    }

    /// The section of one context, bindings in table order.
    public static func section(_ context: KeyContext) -> Section {
        Section(title: context.title,
                entries: KeyBindings.bindings(in: context).map { Entry(keys: $0.keysLabel, action: $0.help) })
    }

    /// The contexts whose keys the help shows on a screen.
    public static func contexts(for screen: Screen) -> [KeyContext] {
        switch screen {
        case .picker, .loading: [.picker, .compareSetupPanel, .everywhere]
        case .browser: [.browser, .everywhere]
        case .dataset: [.dataset, .everywhere]
        case .reviewQueue: [.reviewQueue, .reviewCompare, .everywhere]
        case .chat: [.chat, .chatInput, .streaming, .messageCursor, .rewritingReply, .rewritingMessage, .confirmingMark, .samplingPanel,
                     .comparing, .compareSetupPanel,
                     .replay, .everywhere]
        }
    }

    /// The sections relevant to a screen.
    public static func sections(for screen: Screen) -> [Section] {
        contexts(for: screen).map(section)
    }

    /// How many lines the help for a screen takes (titles, entries, blank lines between sections), before wrapping.
    public static func lineCount(for screen: Screen) -> Int {
        let sections = sections(for: screen)
        return sections.reduce(0) { $0 + 1 + $1.entries.count } + max(0, sections.count - 1)
    }

    /// The help overlay's lines for a box of `innerWidth` × `innerHeight` cells: one column, or two when the lines do
    /// not fit and the box is wide; an action too long for its column wraps under its first line (never cut off).
    public struct Layout: Sendable, Equatable {
        /// One line: keys (empty on a continuation or blank line) and action text, or a section title.
        public struct Line: Sendable, Equatable {
            public var keys: String
            public var action: String
            public var isTitle: Bool
        }
        public var lines: [Line]
        public var columnCount: Int
        public var columnWidth: Int
        /// Columns given to the keys of an entry.
        public var keyWidth: Int
        /// Lines shown at once (rows × columns).
        public var capacity: Int

        /// The furthest the help can scroll: its first line when the last one shows.
        public var maxScroll: Int { max(0, lines.count - capacity) }

        public init(_ sections: [Section], innerWidth: Int, innerHeight: Int) {
            let widest = sections.flatMap(\.entries).map { DisplayWidth.columns($0.keys) }.max() ?? 10
            let unwrapped = sections.reduce(0) { $0 + 1 + $1.entries.count } + max(0, sections.count - 1)
            columnCount = unwrapped > innerHeight && innerWidth >= 2 * 44 ? 2 : 1
            columnWidth = max(1, innerWidth / columnCount)
            keyWidth = min(24, widest, columnWidth / 2)
            capacity = max(1, innerHeight) * columnCount
            // The action follows the keys and one space, and leaves the column's last cell free.
            let actionWidth = max(1, columnWidth - 2 - keyWidth)
            var lines: [Line] = []
            for section in sections {
                if !lines.isEmpty { lines.append(Line(keys: "", action: "", isTitle: false)) }
                lines.append(Line(keys: section.title, action: "", isTitle: true))
                for entry in section.entries {
                    for (index, piece) in TextWrapper.wrap(entry.action, width: actionWidth).enumerated() {
                        lines.append(Line(keys: index == 0 ? entry.keys : "", action: piece, isTitle: false))
                    }
                }
            }
            self.lines = lines
        }

        /// The help of `screen` inside the framed box the overlay draws on a `width` × `height` terminal.
        public init(screen: Screen, width: Int, height: Int) {
            self.init(KeyHelp.sections(for: screen), innerWidth: width - 4, innerHeight: height - 4)
        }
    }

    /// The Markdown key tables for `docs/tui.md` (between its `keys:begin` / `keys:end` markers): one
    /// table per context, in the order a user meets them.
    public static func markdown() -> String {
        docsOrder.reduce(docsHeader) { $0 + table($1) }
    }

    /// Every context, in the order a user meets them (a test checks that none is missing).
    public static let docsOrder: [KeyContext] = [.everywhere, .picker, .browser, .dataset, .reviewQueue, .reviewCompare, .chat, .chatInput, .streaming,
                                                 .messageCursor, .rewritingReply, .rewritingMessage, .confirmingMark,
                                                 .samplingPanel, .comparing, .compareSetupPanel, .replay, .help]

    private static let docsHeader = "<!-- Generated from Sources/DramatisTUI/Keys/KeyBindings.swift; regenerate with\n"
        + "     DRAMATIS_RECORD_DOCS=1 swift test --filter KeyDocsTests -->\n"

    /// One context's Markdown table.
    private static func table(_ context: KeyContext) -> String {
        var text = "\n**\(context.title)**\n\n| Key | Action |\n|---|---|\n"
        for binding in KeyBindings.bindings(in: context) {
            let keys = binding.keys.map { "`" + $0.label.replacingOccurrences(of: "|", with: "\\|") + "`" }.joined(separator: " ")
            text += "| \(keys) | \(binding.help.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        return text
    }
}
