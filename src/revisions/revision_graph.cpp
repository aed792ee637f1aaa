#include <dbmig/util/error.hpp>
#include <dbmig/revisions/revision.hpp>

#include <algorithm>
#include <charconv>

namespace dbmig {

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

namespace {
std::string where(const Revision& r) {
  return r.path.empty() ? "revision " + r.id : r.path.string();
}
}  // namespace

RevisionGraph::RevisionGraph(std::vector<Revision> revisions) : revisions_(std::move(revisions)) {
  index_.reserve(revisions_.size());
  for (size_t i = 0; i < revisions_.size(); ++i) {
    const auto& r = revisions_[i];
    auto [it, inserted] = index_.emplace(r.id, i);
    if (!inserted)
      throw Error(where(r) + ": duplicate revision id '" + r.id + "' (also in " + where(revisions_[it->second]) + ")");
  }
  children_.resize(revisions_.size());
  all_parents_.resize(revisions_.size());
  for (size_t i = 0; i < revisions_.size(); ++i) {
    const auto& r = revisions_[i];
    for (const auto& d : r.down_revisions) {
      auto it = index_.find(d);
      if (it == index_.end()) throw Error(where(r) + ": down_revision '" + d + "' of revision " + r.id + " does not exist");
      children_[it->second].push_back(r.id);
      all_parents_[i].push_back(it->second);
    }
    for (const auto& label : r.branch_labels) {
      if (index_.count(label)) throw Error(where(r) + ": branch label '" + label + "' is also a revision id");
      auto [it, inserted] = labels_.emplace(label, r.id);
      if (!inserted) throw Error(where(r) + ": branch label '" + label + "' is already used by revision " + it->second);
    }
  }
  // depends_on may name a revision or a branch label; resolved once labels are known.
  for (size_t i = 0; i < revisions_.size(); ++i) {
    auto& r = revisions_[i];
    for (auto& dep : r.depends_on) {
      if (auto l = labels_.find(dep); l != labels_.end()) dep = l->second;
      auto it = index_.find(dep);
      if (it == index_.end()) throw Error(where(r) + ": depends_on '" + dep + "' of revision " + r.id + " does not exist");
      all_parents_[i].push_back(it->second);
    }
  }
  // Cycle check: iterative DFS with colours (white 0, grey 1, black 2).
  std::vector<char> colour(revisions_.size(), 0);
  std::vector<size_t> parent_of(revisions_.size(), SIZE_MAX);
  for (size_t start = 0; start < revisions_.size(); ++start) {
    if (colour[start]) continue;
    std::vector<std::pair<size_t, size_t>> stack{{start, 0}};
    colour[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < all_parents_[node].size()) {
        size_t p = all_parents_[node][next++];
        if (colour[p] == 1) {
          std::vector<std::string> cycle{revisions_[p].id};
          for (size_t n = node; n != p && n != SIZE_MAX; n = parent_of[n]) cycle.push_back(revisions_[n].id);
          cycle.push_back(revisions_[p].id);
          throw Error(where(revisions_[p]) + ": the revision graph has a cycle: " + join(cycle, " -> "));
        }
        if (colour[p] == 0) {
          colour[p] = 1;
          parent_of[p] = node;
          stack.emplace_back(p, 0);
        }
      } else {
        colour[node] = 2;
        stack.pop_back();
      }
    }
  }
  for (size_t i = 0; i < revisions_.size(); ++i)
    if (children_[i].empty()) heads_.push_back(revisions_[i].id);
}

const Revision& RevisionGraph::get(const std::string& id) const {
  auto it = index_.find(id);
  if (it == index_.end()) throw Error("Can't locate revision identified by '" + id + "'");
  return revisions_[it->second];
}

const std::vector<std::string>& RevisionGraph::children(const std::string& id) const { return children_[idx(id)]; }

bool RevisionGraph::is_head(const std::string& id) const { return children(id).empty(); }

RevisionSet RevisionGraph::bases() const {
  RevisionSet out;
  for (const auto& r : revisions_)
    if (r.down_revisions.empty()) out.push_back(r.id);
  return out;
}

std::string RevisionGraph::resolve_one(const std::string& id) const {
  if (index_.count(id)) return id;
  if (auto l = labels_.find(id); l != labels_.end()) return l->second;
  std::vector<std::string> matches;
  for (const auto& r : revisions_)
    if (r.id.compare(0, id.size(), id) == 0) matches.push_back(r.id);
  if (matches.size() == 1 && id.size() >= 1) return matches[0];
  if (matches.empty()) throw Error("Can't locate revision identified by '" + id + "'");
  std::sort(matches.begin(), matches.end());
  throw Error("Revision prefix '" + id + "' is ambiguous; it matches " + join(matches));
}

namespace {
bool parse_long(const std::string& s, long& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data() + (s[0] == '+' ? 1 : 0), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}
}  // namespace

RevisionSet RevisionGraph::relative_set(const RevisionSet& start, long steps, const std::string& target) const {
  auto fail = [&]() -> Error {
    return Error("Relative revision " + target + " didn't produce " + std::to_string(std::labs(steps)) + " migrations");
  };
  if (steps == 0) return start;
  RevisionSet cur = start;
  if (steps > 0) {
    for (long i = 0; i < steps; ++i) {
      RevisionSet next;
      if (cur.empty()) next = bases();
      else if (cur.size() == 1) next = children(cur[0]);
      else throw Error("Relative revision " + target + " is ambiguous: the database has several heads (" + join(cur) + ")");
      if (next.empty()) throw fail();
      if (next.size() > 1)
        throw Error("Relative revision " + target + " is ambiguous: " + (cur.empty() ? "<base>" : cur[0]) +
                    " has several next revisions (" + join(next) + ")");
      cur = next;
    }
    return cur;
  }
  for (long i = 0; i < -steps; ++i) {
    if (cur.empty()) throw fail();
    if (cur.size() > 1)
      throw Error("Relative revision " + target + " is ambiguous: it starts from several revisions (" + join(cur) + ")");
    cur = get(cur[0]).down_revisions;
  }
  return cur;
}

RevisionSet RevisionGraph::resolve(const std::string& target, const RevisionSet& current) const {
  if (target == "base") return {};
  if (target == "heads") return heads_;
  if (target == "current") return current;
  if (target == "head") {
    if (heads_.size() > 1)
      throw Error("Multiple head revisions are present (" + join(heads_) +
                  "); please specify 'heads' for all of them, or a specific revision or branch label");
    return heads_;
  }
  long n;
  if ((target[0] == '+' || target[0] == '-') && parse_long(target, n)) return relative_set(current, n, target);
  if (auto at = target.find('@'); at != std::string::npos) {
    std::string label = target.substr(0, at), what = target.substr(at + 1);
    std::string rev = resolve_one(label);
    if (what == "head" || what == "heads") {
      // The head(s) that descend from the labelled revision.
      RevisionSet found;
      for (const auto& h : heads_)
        if (closure({h}).count(idx(rev))) found.push_back(h);
      if (what == "head" && found.size() > 1)
        throw Error("Branch " + label + " has several heads (" + join(found) + "); name one");
      return found;
    }
    if (what == "base") {
      RevisionSet found;
      for (size_t i : closure({rev}))
        if (revisions_[i].down_revisions.empty()) found.push_back(revisions_[i].id);
      return found;
    }
    throw Error("Unknown target '" + target + "': after '@' use head or base");
  }
  for (char sign : {'+', '-'}) {
    auto pos = target.rfind(sign);
    if (pos != std::string::npos && pos > 0 && parse_long(target.substr(pos), n))
      return relative_set(resolve(target.substr(0, pos), current), n, target);
  }
  return {resolve_one(target)};
}

std::set<size_t> RevisionGraph::closure(const RevisionSet& set) const {
  std::set<size_t> seen;
  std::vector<size_t> stack;
  for (const auto& id : set) stack.push_back(idx(id));
  while (!stack.empty()) {
    size_t n = stack.back();
    stack.pop_back();
    if (!seen.insert(n).second) continue;
    for (size_t p : all_parents_[n]) stack.push_back(p);
  }
  return seen;
}

std::vector<size_t> RevisionGraph::ordered(const std::set<size_t>& subset) const {
  // Iterative post-order DFS over parents: every revision comes after all it depends on.
  std::vector<size_t> out;
  std::vector<char> state(revisions_.size(), 0);
  for (size_t start : subset) {
    if (state[start]) continue;
    std::vector<std::pair<size_t, size_t>> stack{{start, 0}};
    state[start] = 1;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < all_parents_[node].size()) {
        size_t p = all_parents_[node][next++];
        if (!state[p] && subset.count(p)) {
          state[p] = 1;
          stack.emplace_back(p, 0);
        }
      } else {
        out.push_back(node);
        stack.pop_back();
      }
    }
  }
  return out;
}

std::vector<const Revision*> RevisionGraph::topological() const {
  std::set<size_t> all;
  for (size_t i = 0; i < revisions_.size(); ++i) all.insert(i);
  std::vector<const Revision*> out;
  for (size_t i : ordered(all)) out.push_back(&revisions_[i]);
  return out;
}

std::vector<const Revision*> RevisionGraph::upgrade_path(const RevisionSet& from, const RevisionSet& to) const {
  auto have = closure(from);
  std::set<size_t> todo;
  for (size_t i : closure(to))
    if (!have.count(i)) todo.insert(i);
  std::vector<const Revision*> out;
  for (size_t i : ordered(todo)) out.push_back(&revisions_[i]);
  return out;
}

std::vector<const Revision*> RevisionGraph::downgrade_path(const RevisionSet& from, const RevisionSet& to) const {
  auto have = closure(from);
  auto keep = closure(to);
  for (size_t i : keep)
    if (!have.count(i))
      throw Error("Destination " + join(to) + " is not a valid downgrade target from current head(s) " +
                  (from.empty() ? "<base>" : join(from)));
  std::set<size_t> todo;
  for (size_t i : have)
    if (!keep.count(i)) todo.insert(i);
  auto order = ordered(todo);
  std::vector<const Revision*> out;
  for (auto it = order.rbegin(); it != order.rend(); ++it) out.push_back(&revisions_[*it]);
  return out;
}

RevisionSet RevisionGraph::heads_after_upgrade(const RevisionSet& heads, const Revision& rev) const {
  RevisionSet out;
  for (const auto& h : heads)
    if (std::find(rev.down_revisions.begin(), rev.down_revisions.end(), h) == rev.down_revisions.end()) out.push_back(h);
  out.push_back(rev.id);
  return out;
}

RevisionSet RevisionGraph::heads_after_downgrade(const RevisionSet& heads, const Revision& rev) const {
  RevisionSet out;
  for (const auto& h : heads)
    if (h != rev.id) out.push_back(h);
  // A parent becomes a head again unless another remaining head still descends from it.
  for (const auto& parent : rev.down_revisions) {
    bool covered = false;
    for (const auto& h : out)
      if (closure({h}).count(idx(parent))) covered = true;
    if (!covered) out.push_back(parent);
  }
  return out;
}

}  // namespace dbmig
