import Foundation
import JicaiCore

/// Charts drawn on the server as SVG (docs/architecture.md): no script, readable in print, testable as text. Every chart
/// has a `<title>` and sits next to the table with its numbers. Coordinates are display values only (percentages
/// from exact fractions); no figure is computed here.
enum SVGCharts {
    static let width = 640.0
    static let height = 260.0
    static let left = 44.0
    static let right = 12.0
    static let top = 16.0
    static let bottom = 30.0

    static func percent(_ f: Fraction?) -> Double? {
        guard let f else { return nil }
        return Double(f.numerator) * 100 / Double(f.denominator)
    }

    static func num(_ x: Double) -> String { String(format: "%.1f", x) }

    static func svg(title: String, id: String, height: Double = SVGCharts.height, @HTMLBuilder _ body: () -> [Node]) -> Node {
        el(
            "svg", .id(id), .class("chart"), Attr("viewBox", "0 0 \(num(width)) \(num(height))"), Attr("role", "img"), Attr("aria-label", title),
            Attr("xmlns", "http://www.w3.org/2000/svg")
        ) {
            el("title") { title }
            body()
        }
    }

    /// The y axis 0…`top`% with grid lines every quarter.
    static func axis(maxPercent: Double, plotHeight: Double) -> Node {
        .fragment(
            (0...4).map { step in
                let value = maxPercent * Double(step) / 4
                let y = top + plotHeight * (1 - Double(step) / 4)
                return .fragment([
                    el("line", Attr("x1", num(left)), Attr("x2", num(width - right)), Attr("y1", num(y)), Attr("y2", num(y)), .class("grid")),
                    el("text", Attr("x", num(left - 4)), Attr("y", num(y + 4)), Attr("text-anchor", "end"), .class("tick")) { "\(Int(value))%" },
                ])
            })
    }

    /// Cumulative completion against the time-proportional schedule, by month (004 §6).
    static func progress(title: String, labels: [String], actual: [Double?], schedule: [Double], legend: (String, String)) -> Node {
        let plotHeight = height - top - bottom
        let maxPercent = max(100, (actual.compactMap { $0 } + schedule).max() ?? 100).rounded(.up)
        let step = labels.count > 1 ? (width - left - right) / Double(labels.count - 1) : 0
        func x(_ i: Int) -> Double { left + (labels.count > 1 ? Double(i) * step : (width - left - right) / 2) }
        func y(_ p: Double) -> Double { top + plotHeight * (1 - p / maxPercent) }
        let schedulePoints = schedule.enumerated().map { "\(num(x($0.offset))),\(num(y($0.element)))" }.joined(separator: " ")
        let actualPoints = actual.enumerated().compactMap { i, p in p.map { "\(num(x(i))),\(num(y($0)))" } }.joined(separator: " ")
        return svg(title: title, id: "progress-chart") {
            axis(maxPercent: maxPercent, plotHeight: plotHeight)
            el("polyline", Attr("points", schedulePoints), .class("schedule"))
            el("polyline", Attr("points", actualPoints), .class("actual"))
            for (i, p) in actual.enumerated() {
                if let p {
                    el("circle", Attr("cx", num(x(i))), Attr("cy", num(y(p))), Attr("r", "3"), .class("actual")) {
                        el("title") { "\(labels[i]) \(num(p))%" }
                    }
                }
            }
            for (i, label) in labels.enumerated() where labels.count <= 12 || i % 2 == 0 {
                el("text", Attr("x", num(x(i))), Attr("y", num(height - 10)), Attr("text-anchor", "middle"), .class("tick")) { label }
            }
            el("text", Attr("x", num(left + 6)), Attr("y", num(top + 12)), .class("legend actual")) { "● " + legend.0 }
            el("text", Attr("x", num(left + 160)), Attr("y", num(top + 12)), .class("legend schedule")) { "— " + legend.1 }
        }
    }

    /// Horizontal bars (a ranking), each with a marker (the schedule) when given.
    static func bars(title: String, id: String, rows: [(label: String, value: Double)], marker: Double?) -> Node {
        let rowHeight = 22.0
        let chartHeight = top + Double(max(rows.count, 1)) * rowHeight + bottom
        let labelWidth = 150.0
        let maxValue = max(100, (rows.map(\.value) + [marker ?? 0]).max() ?? 100)
        func x(_ v: Double) -> Double { labelWidth + (width - labelWidth - right - 40) * max(0, v) / maxValue }
        return svg(title: title, id: id, height: chartHeight) {
            for (i, row) in rows.enumerated() {
                let y = top + Double(i) * rowHeight
                el("text", Attr("x", num(labelWidth - 6)), Attr("y", num(y + 15)), Attr("text-anchor", "end"), .class("tick")) {
                    String(row.label.prefix(12))
                }
                el(
                    "rect", Attr("x", num(labelWidth)), Attr("y", num(y + 4)), Attr("width", num(x(row.value) - labelWidth)), Attr("height", "14"),
                    .class(marker.map { row.value < $0 ? "bar behind" : "bar" } ?? "bar"))
                el("text", Attr("x", num(x(row.value) + 4)), Attr("y", num(y + 15)), .class("tick")) { "\(num(row.value))%" }
            }
            if let marker {
                el(
                    "line", Attr("x1", num(x(marker))), Attr("x2", num(x(marker))), Attr("y1", num(top)),
                    Attr("y2", num(top + Double(rows.count) * rowHeight)), .class("schedule"))
            }
        }
    }

    /// Monthly shares as columns with the cap as a line (non-winning share over months).
    static func columns(title: String, id: String, labels: [String], values: [Double?], cap: Double?) -> Node {
        let plotHeight = height - top - bottom
        let maxPercent = max(50, (values.compactMap { $0 } + [cap ?? 0]).max() ?? 50).rounded(.up)
        let slot = (width - left - right) / Double(max(labels.count, 1))
        func y(_ p: Double) -> Double { top + plotHeight * (1 - p / maxPercent) }
        return svg(title: title, id: id) {
            axis(maxPercent: maxPercent, plotHeight: plotHeight)
            for (i, value) in values.enumerated() {
                if let value {
                    el(
                        "rect", Attr("x", num(left + Double(i) * slot + slot * 0.2)), Attr("y", num(y(value))), Attr("width", num(slot * 0.6)),
                        Attr("height", num(top + plotHeight - y(value))), .class(cap.map { value > $0 ? "bar behind" : "bar" } ?? "bar")
                    ) { el("title") { "\(labels[i]) \(num(value))%" } }
                }
                el(
                    "text", Attr("x", num(left + Double(i) * slot + slot / 2)), Attr("y", num(height - 10)), Attr("text-anchor", "middle"),
                    .class("tick")
                ) {
                    labels.count <= 12 || i % 2 == 0 ? labels[i] : ""
                }
            }
            if let cap {
                el("line", Attr("x1", num(left)), Attr("x2", num(width - right)), Attr("y1", num(y(cap))), Attr("y2", num(y(cap))), .class("cap"))
            }
        }
    }

    /// A waterfall from the schedule down to the completion: each step is one group's pull in percentage points.
    static func waterfall(title: String, start: (String, Double), steps: [(String, Double)], end: (String, Double)) -> Node {
        let plotHeight = height - top - bottom - 20
        let levels = [start.1, end.1] + steps.reduce(into: [start.1]) { acc, step in acc.append(acc.last! - step.1) }  // every bar's top
        let maxPercent = max(10, levels.max() ?? 100).rounded(.up)
        let count = Double(steps.count + 2)
        let slot = (width - left - right) / count
        func y(_ p: Double) -> Double { top + plotHeight * (1 - max(0, p) / maxPercent) }
        let before = steps.reduce(into: [start.1]) { acc, step in acc.append(acc.last! - step.1) }
        return svg(title: title, id: "waterfall") {
            axis(maxPercent: maxPercent, plotHeight: plotHeight)
            el(
                "rect", Attr("x", num(left + slot * 0.15)), Attr("y", num(y(start.1))), Attr("width", num(slot * 0.7)),
                Attr("height", num(top + plotHeight - y(start.1))), .class("bar total"))
            label(start.0, at: left + slot / 2, bottomY: height - 22)
            for (i, step) in steps.enumerated() {
                let from = before[i]
                let to = before[i + 1]
                let x = left + slot * Double(i + 1)
                el(
                    "rect", Attr("x", num(x + slot * 0.15)), Attr("y", num(y(max(from, to)))), Attr("width", num(slot * 0.7)),
                    Attr("height", num(max(1, abs(y(to) - y(from))))), .class(step.1 > 0 ? "bar behind" : "bar ahead")
                ) { el("title") { "\(step.0) \(num(-step.1))" } }
                label(step.0, at: x + slot / 2, bottomY: height - 22)
            }
            let x = left + slot * (count - 1)
            el(
                "rect", Attr("x", num(x + slot * 0.15)), Attr("y", num(y(end.1))), Attr("width", num(slot * 0.7)),
                Attr("height", num(top + plotHeight - y(end.1))), .class("bar total"))
            label(end.0, at: x + slot / 2, bottomY: height - 22)
        }
    }

    static func label(_ text: String, at x: Double, bottomY: Double) -> Node {
        el("text", Attr("x", num(x)), Attr("y", num(bottomY)), Attr("text-anchor", "middle"), .class("tick")) { String(text.prefix(6)) }
    }
}
