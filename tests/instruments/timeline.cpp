#include "timeline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace support {

namespace {

constexpr int min_bar_width = 10;
constexpr int axis_label_spacing = 8;  // columns per tick label, at most

enum class Glyph { Blank, Waiting, Work, InFlight, Answered, Failed, GaveUp, Mark, LockWait, LockHeld, Job, JobUnderLock };

char glyph_char(Glyph glyph) {
    switch (glyph) {
        case Glyph::Blank: return ' ';
        case Glyph::Waiting: return '.';
        case Glyph::Work: return '=';
        case Glyph::InFlight: return '=';
        case Glyph::Answered: return '|';
        case Glyph::Failed: return 'x';
        case Glyph::GaveUp: return '>';
        case Glyph::Mark: return '*';
        case Glyph::LockWait: return '-';
        case Glyph::LockHeld: return '#';
        case Glyph::Job: return '~';
        case Glyph::JobUnderLock: return '@';
    }
    return '?';
}

const char* glyph_colour(Glyph glyph) {
    switch (glyph) {
        case Glyph::Waiting: return "33";
        case Glyph::Work: return "32";
        case Glyph::InFlight: return "36";
        case Glyph::Answered: return "1;32";
        case Glyph::Failed: return "1;31";
        case Glyph::GaveUp: return "1;33";
        case Glyph::Mark: return "1;35";
        case Glyph::LockWait: return "33";
        case Glyph::LockHeld: return "31";
        case Glyph::Job: return "32";
        case Glyph::JobUnderLock: return "1;31";
        case Glyph::Blank: break;
    }
    return nullptr;
}

const char* glyph_meaning(Glyph glyph) {
    switch (glyph) {
        case Glyph::Waiting: return "waiting";
        case Glyph::Work: return "served";
        case Glyph::InFlight: return "in flight";
        case Glyph::Answered: return "answered";
        case Glyph::Failed: return "ended without a response";
        case Glyph::GaveUp: return "gave up waiting";
        case Glyph::Mark: return "event";
        case Glyph::LockWait: return "waiting for the lock";
        case Glyph::LockHeld: return "holding the lock";
        case Glyph::Job: return "running a job";
        case Glyph::JobUnderLock: return "running a job, holding the lock";
        case Glyph::Blank: break;
    }
    return "";
}

std::string paint(const std::string& text, const char* colour, bool enabled) {
    if (!enabled || colour == nullptr || text.empty()) return text;
    return std::string("\x1b[") + colour + "m" + text + "\x1b[0m";
}

Glyph end_glyph(Outcome outcome) {
    switch (outcome) {
        case Outcome::Response: return Glyph::Answered;
        case Outcome::TimedOut: return Glyph::GaveUp;
        case Outcome::ClosedWithoutResponse:
        case Outcome::Reset:
        case Outcome::ConnectFailed: return Glyph::Failed;
    }
    return Glyph::Failed;
}

const char* outcome_colour(Outcome outcome) {
    switch (outcome) {
        case Outcome::Response: return nullptr;
        case Outcome::TimedOut: return "33";
        default: return "31";
    }
}

// "0.25", "1", "0.004": a tick value with as many decimals as the step needs, no trailing zeros.
std::string tick_label(double seconds, double step) {
    int decimals = 0;
    while (decimals < 3 && std::abs(step * std::pow(10, decimals) - std::round(step * std::pow(10, decimals))) > 1e-6) {
        ++decimals;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, seconds);
    std::string label(text);
    if (label.find('.') != std::string::npos) {
        while (label.back() == '0') label.pop_back();
        if (label.back() == '.') label.pop_back();
    }
    return label;
}

// The smallest 1-2-5 step that puts at most `max_ticks` ticks after 0 on `span` seconds.
double tick_step(double span, int max_ticks) {
    for (double decade = 0.001; decade < 1e6; decade *= 10) {
        for (double factor : {1.0, 2.0, 5.0}) {
            if (std::floor(span / (decade * factor) + 1e-9) <= max_ticks) return decade * factor;
        }
    }
    return span;
}

struct Row {
    std::string label;
    std::vector<Glyph> cells;
    std::string right;
    const char* right_colour = nullptr;
};

class Axis {
public:
    Axis(Clock::time_point first, double span, int width) : first_(first), span_(span), width_(width) {}
    [[nodiscard]] double since_first(Clock::time_point at) const {
        return std::chrono::duration<double>(at - first_).count();
    }
    [[nodiscard]] int column_of_offset(double offset) const {
        if (span_ <= 0) return 0;
        const auto column = std::lround(offset / span_ * (width_ - 1));
        return static_cast<int>(std::clamp<long>(column, 0, width_ - 1));
    }
    [[nodiscard]] int column(Clock::time_point at) const { return column_of_offset(since_first(at)); }
    [[nodiscard]] double span() const { return span_; }
    [[nodiscard]] int width() const { return width_; }

private:
    Clock::time_point first_;
    double span_;
    int width_;
};

std::vector<Glyph> request_cells(const RequestRecord& record, const TimelineOptions& options, const Axis& axis) {
    std::vector<Glyph> cells(static_cast<std::size_t>(axis.width()), Glyph::Blank);
    const int start = axis.column(record.start);
    const int finish = std::max(start, axis.column(record.finish));
    const bool split = !options.work_by_path.empty();
    int work_from = split ? finish : start;  // first column drawn as work
    if (split && record.outcome == Outcome::Response) {
        const auto work = options.work_by_path.find(record.path);
        if (work != options.work_by_path.end()) {
            const auto work_start = record.finish - std::chrono::duration_cast<Clock::duration>(work->second);
            work_from = work_start <= record.start ? start : std::max(start, axis.column(work_start));
        }
    }
    for (int column = start; column < finish; ++column) {
        cells[static_cast<std::size_t>(column)] =
            column < work_from ? Glyph::Waiting : (split ? Glyph::Work : Glyph::InFlight);
    }
    cells[static_cast<std::size_t>(finish)] = end_glyph(record.outcome);
    return cells;
}

// A lane's cells: each column gets what the thread was doing there; a job while the lock is held is
// one glyph of its own. Spans shorter than a column are not drawn.
std::vector<Glyph> lane_cells(const TimelineLane& lane, const Axis& axis, Clock::time_point axis_end) {
    constexpr unsigned waiting = 1;
    constexpr unsigned holding = 2;
    constexpr unsigned job = 4;
    std::vector<unsigned> doing(static_cast<std::size_t>(axis.width()), 0);
    for (const auto& span : lane.spans) {
        if (span.to <= span.from) continue;
        const int from = axis.column(span.from);
        const int to = span.to >= axis_end ? axis.width() : axis.column(span.to);
        const unsigned bit = span.activity == LaneActivity::WaitingForLock ? waiting
                             : span.activity == LaneActivity::HoldingLock ? holding : job;
        for (int column = from; column < to; ++column) doing[static_cast<std::size_t>(column)] |= bit;
    }
    std::vector<Glyph> cells;
    for (const unsigned what : doing) {
        cells.push_back((what & job) != 0 ? ((what & holding) != 0 ? Glyph::JobUnderLock : Glyph::Job)
                        : (what & holding) != 0 ? Glyph::LockHeld
                        : (what & waiting) != 0 ? Glyph::LockWait : Glyph::Blank);
    }
    return cells;
}

std::string axis_lines(const Axis& axis, std::size_t indent) {
    const int width = axis.width();
    std::string ticks(static_cast<std::size_t>(width), '-');
    std::string labels;
    const double step = tick_step(axis.span(), std::max(1, width / axis_label_spacing));
    std::size_t next_free = 0;
    for (int k = 0; axis.span() <= 0 ? k == 0 : k * step <= axis.span() * (1 + 1e-9); ++k) {
        const auto column = static_cast<std::size_t>(axis.column_of_offset(k * step));
        ticks[column] = '+';
        const std::string label = tick_label(k * step, step);
        if (column < next_free) continue;
        labels.resize(column, ' ');
        labels += label;
        next_free = labels.size() + 1;
    }
    labels += " s";
    const std::string pad(indent, ' ');
    return pad + ticks + "\n" + pad + labels + "\n";
}

}  // namespace

std::string format_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f s", seconds);
    return text;
}

std::string describe_outcome(const RequestRecord& record) {
    if (record.outcome == Outcome::Response) {
        const auto space = record.response.status_line.find(' ');
        return space == std::string::npos ? "response" : record.response.status_line.substr(space + 1);
    }
    return to_string(record.outcome);
}

std::string draw_timeline(const std::vector<RequestRecord>& records, const TimelineOptions& options) {
    if (records.empty() && options.marks.empty()) return "(no requests)\n";

    // The common axis: from the first start to the last finish or mark.
    std::vector<Clock::time_point> instants;
    for (const auto& record : records) instants.insert(instants.end(), {record.start, record.finish});
    for (const auto& mark : options.marks) instants.push_back(mark.at);
    const auto first = *std::min_element(instants.begin(), instants.end());
    const auto last = *std::max_element(instants.begin(), instants.end());

    std::vector<Row> rows;
    for (const auto& record : records) {
        rows.push_back({record.label, {}, format_seconds(record.seconds()) + "  " + describe_outcome(record),
                        outcome_colour(record.outcome)});
    }
    for (const auto& mark : options.marks) {
        const double at = std::chrono::duration<double>(mark.at - first).count();
        rows.push_back({mark.label, {}, mark.note + " at " + format_seconds(at), glyph_colour(Glyph::Mark)});
    }
    for (const auto& lane : options.lanes) rows.push_back({lane.label, {}, lane.note, nullptr});
    std::size_t label_width = 0;
    std::size_t right_width = 0;
    for (const auto& row : rows) {
        label_width = std::max(label_width, row.label.size());
        right_width = std::max(right_width, row.right.size());
    }
    const int bar_width = std::max(min_bar_width, options.width - static_cast<int>(label_width + right_width) - 4);
    const double span = std::max(std::chrono::duration<double>(last - first).count(), options.min_span.count());
    const Axis axis(first, span, bar_width);

    for (std::size_t i = 0; i < records.size(); ++i) rows[i].cells = request_cells(records[i], options, axis);
    for (std::size_t i = 0; i < options.marks.size(); ++i) {
        auto& cells = rows[records.size() + i].cells;
        cells.assign(static_cast<std::size_t>(bar_width), Glyph::Blank);
        cells[static_cast<std::size_t>(axis.column(options.marks[i].at))] = Glyph::Mark;
    }
    const auto axis_end = first + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(span));
    for (std::size_t i = 0; i < options.lanes.size(); ++i) {
        rows[records.size() + options.marks.size() + i].cells = lane_cells(options.lanes[i], axis, axis_end);
    }

    std::string text;
    std::vector<Glyph> seen;
    for (const auto& row : rows) {
        text += row.label + std::string(label_width - row.label.size() + 2, ' ');
        // Runs of one glyph share one colour sequence.
        for (std::size_t begin = 0; begin < row.cells.size();) {
            std::size_t end = begin;
            while (end < row.cells.size() && row.cells[end] == row.cells[begin]) ++end;
            const Glyph glyph = row.cells[begin];
            if (glyph != Glyph::Blank && std::find(seen.begin(), seen.end(), glyph) == seen.end()) seen.push_back(glyph);
            text += paint(std::string(end - begin, glyph_char(glyph)), glyph_colour(glyph), options.colour);
            begin = end;
        }
        text += "  " + paint(row.right, row.right_colour, options.colour) + "\n";
    }
    text += axis_lines(axis, label_width + 2);

    // The legend, in a fixed order, of the glyphs drawn above (marks explain themselves), wrapped at
    // the width.
    std::string legend;
    std::size_t legend_width = 0;
    for (const Glyph glyph : {Glyph::Waiting, Glyph::Work, Glyph::InFlight, Glyph::Answered, Glyph::Failed, Glyph::GaveUp,
                              Glyph::LockWait, Glyph::LockHeld, Glyph::Job, Glyph::JobUnderLock}) {
        if (std::find(seen.begin(), seen.end(), glyph) == seen.end()) continue;
        const std::string meaning = std::string(" ") + glyph_meaning(glyph);
        if (legend_width > 0 && legend_width + 3 + 1 + meaning.size() > static_cast<std::size_t>(options.width)) {
            text += legend + "\n";
            legend.clear();
            legend_width = 0;
        }
        if (legend_width > 0) {
            legend += "   ";
            legend_width += 3;
        }
        legend += paint(std::string(1, glyph_char(glyph)), glyph_colour(glyph), options.colour) + meaning;
        legend_width += 1 + meaning.size();
    }
    if (legend_width > 0) text += legend + "\n";
    return text;
}

}  // namespace support
