// Unified diff from a longest-common-subsequence table; see unified_diff.h. Boot files are a
// few hundred lines at most, so the quadratic table is small; larger inputs fall back to one
// hunk replacing everything.
#include "board/unified_diff.h"

#include <algorithm>
#include <vector>

namespace coralpi::board {
namespace {

std::vector<std::string> SplitKeepEnds(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(s.substr(start));
      break;
    }
    out.push_back(s.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return out;
}

enum class Op { kSame, kDel, kAdd };
struct Edit {
  Op op;
  size_t a;  // index in before (kSame, kDel)
  size_t b;  // index in after (kSame, kAdd)
};

std::vector<Edit> Diff(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<Edit> edits;
  size_t n = a.size(), m = b.size();
  if (n * m > 4'000'000) {
    for (size_t i = 0; i < n; ++i) edits.push_back({Op::kDel, i, 0});
    for (size_t j = 0; j < m; ++j) edits.push_back({Op::kAdd, n, j});
    return edits;
  }
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({Op::kSame, i++, j++});
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      edits.push_back({Op::kDel, i++, j});
    } else {
      edits.push_back({Op::kAdd, i, j++});
    }
  }
  return edits;
}

void AppendLine(std::string& out, char tag, const std::string& line) {
  out += tag;
  if (!line.empty() && line.back() == '\n') {
    out += line;
  } else {
    out += line + "\n\\ No newline at end of file\n";
  }
}

}  // namespace

std::string UnifiedDiff(const std::string& name, const std::string& before,
                        const std::string& after, bool before_exists) {
  if (before == after && before_exists) return "";
  std::vector<std::string> a = SplitKeepEnds(before), b = SplitKeepEnds(after);
  std::vector<Edit> edits = Diff(a, b);
  std::string out = (before_exists ? "--- a/" + name : std::string("--- /dev/null")) + "\n";
  out += "+++ b/" + name + "\n";
  constexpr size_t kContext = 3;
  size_t k = 0;
  while (k < edits.size()) {
    // Find the next change, then extend the hunk while changes are within 2*context lines.
    size_t first = k;
    while (first < edits.size() && edits[first].op == Op::kSame) ++first;
    if (first == edits.size()) break;
    size_t start = first >= kContext ? first - kContext : 0;
    if (start < k) start = k;
    size_t end = first;
    size_t same_run = 0;
    for (size_t x = first; x < edits.size(); ++x) {
      if (edits[x].op == Op::kSame) {
        if (++same_run > 2 * kContext) break;
      } else {
        same_run = 0;
        end = x;
      }
    }
    size_t stop = std::min(edits.size(), end + 1 + kContext);
    size_t a_start = 0, a_len = 0, b_start = 0, b_len = 0;
    bool a_set = false, b_set = false;
    for (size_t x = start; x < stop; ++x) {
      const Edit& e = edits[x];
      if (e.op != Op::kAdd) {
        if (!a_set) a_start = e.a, a_set = true;
        ++a_len;
      }
      if (e.op != Op::kDel) {
        if (!b_set) b_start = e.b, b_set = true;
        ++b_len;
      }
    }
    if (!a_set) a_start = edits[start].a;
    if (!b_set) b_start = edits[start].b;
    // diff -u numbers lines from 1; an empty range names the line before it.
    out += "@@ -" + std::to_string(a_len ? a_start + 1 : a_start) + "," + std::to_string(a_len) +
           " +" + std::to_string(b_len ? b_start + 1 : b_start) + "," + std::to_string(b_len) +
           " @@\n";
    for (size_t x = start; x < stop; ++x) {
      const Edit& e = edits[x];
      if (e.op == Op::kSame) AppendLine(out, ' ', a[e.a]);
      if (e.op == Op::kDel) AppendLine(out, '-', a[e.a]);
      if (e.op == Op::kAdd) AppendLine(out, '+', b[e.b]);
    }
    k = stop;
  }
  return out;
}

}  // namespace coralpi::board
