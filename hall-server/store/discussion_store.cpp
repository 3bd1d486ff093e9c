// The store's discussion of drafts: the discussion groups and comment
// visibility (replaced as a whole), comments (immutable rows) and their marks
// (append-only: a comment's mark is its latest row).
#include <unordered_map>

#include "store/columns.hpp"
#include "store/store.hpp"

namespace daihoi::store {
namespace {

domain::CommentVisibility visibilityFromColumn(std::int64_t value) {
  if (value < 1 || value > 3) {
    throw StoreError("comment_settings holds an unknown visibility " + std::to_string(value));
  }
  return static_cast<domain::CommentVisibility>(value);
}

domain::CommentMark markFromColumn(std::int64_t value) {
  if (value < 0 || value > 3) throw StoreError("comment_marks holds an unknown mark " + std::to_string(value));
  return static_cast<domain::CommentMark>(value);
}

}  // namespace

void Store::apply(const domain::DiscussionGroupsSet& change) {
  db_->exec("DELETE FROM discussion_groups");
  auto insert = db_->cached("INSERT INTO discussion_groups (id, name, delegations) VALUES (?1, ?2, ?3)");
  for (const domain::DiscussionGroup& group : change.groups.groups) {
    insert->bindInt64(1, group.id).bindText(2, group.name).bindText(3, columns::joinIds(group.delegationIds)).run();
    insert->reset();
  }
  auto visibility = db_->cached(
      "INSERT INTO comment_settings (id, visibility) VALUES (1, ?1) "
      "ON CONFLICT (id) DO UPDATE SET visibility = excluded.visibility");
  visibility->bindInt64(1, static_cast<int>(change.groups.visibility)).run();
}

void Store::apply(const domain::CommentAdded& change) {
  const domain::Comment& comment = change.comment;
  auto insert = db_->cached(
      "INSERT INTO comments (id, document_id, version, paragraph_id, paragraph_number, range_begin, range_end, quote, "
      "reply_to, thread_id, author_role, author_id, author_name, author_login, author_delegation_id, group_id, text, "
      "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  insert->bindInt64(1, columns::int64(comment.id, "comment id"))
      .bindInt64(2, comment.documentId)
      .bindInt64(3, comment.version)
      .bindText(4, comment.paragraphId)
      .bindInt64(5, comment.paragraphNumber)
      .bindInt64(6, comment.range.begin)
      .bindInt64(7, comment.range.end)
      .bindText(8, comment.quote)
      .bindInt64(9, columns::int64(comment.replyTo, "comment reply_to"))
      .bindInt64(10, columns::int64(comment.threadId, "comment thread_id"));
  columns::bindPrincipal(*insert, 11, comment.author);
  insert->bindInt64(15, comment.authorDelegationId)
      .bindInt64(16, comment.groupId)
      .bindText(17, comment.text)
      .bindInt64(18, comment.createdMs)
      .run();
  // A comment is stored without a mark; one that comes with a mark (never from
  // the hall today) keeps it as its first marking.
  if (comment.mark != domain::CommentMark::None) {
    apply(domain::CommentMarked{comment.id, comment.mark, comment.markNote, comment.markedBy, comment.markedMs});
  }
}

void Store::apply(const domain::CommentMarked& change) {
  // The foreign key refuses a mark on a comment that does not exist.
  auto insert = db_->cached(
      "INSERT INTO comment_marks (comment_id, mark, note, by_role, by_id, by_name, by_login, time_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  insert->bindInt64(1, columns::int64(change.commentId, "comment id"))
      .bindInt64(2, static_cast<int>(change.mark))
      .bindText(3, change.note);
  columns::bindPrincipal(*insert, 4, change.by);
  insert->bindInt64(8, change.timeMs).run();
}

domain::DiscussionGroups Store::loadDiscussionGroups() {
  domain::DiscussionGroups groups;
  auto rows = db_->prepare("SELECT id, name, delegations FROM discussion_groups ORDER BY id");
  while (rows.step()) {
    domain::DiscussionGroup group;
    group.id = columns::id32(rows.columnInt64(0), "discussion group id");
    group.name = rows.columnText(1);
    group.delegationIds = columns::splitIds(rows.columnText(2), "discussion_groups.delegations");
    groups.groups.push_back(std::move(group));
  }
  auto setting = db_->prepare("SELECT visibility FROM comment_settings WHERE id = 1");
  if (setting.step()) groups.visibility = visibilityFromColumn(setting.columnInt64(0));
  return groups;
}

std::vector<domain::Comment> Store::loadComments() {
  std::vector<domain::Comment> comments;
  std::unordered_map<std::uint64_t, std::size_t> indexById;
  auto rows = db_->prepare(
      "SELECT id, document_id, version, paragraph_id, paragraph_number, range_begin, range_end, quote, reply_to, "
      "thread_id, author_role, author_id, author_name, author_login, author_delegation_id, group_id, text, created_ms "
      "FROM comments ORDER BY id");
  while (rows.step()) {
    domain::Comment comment;
    comment.id = columns::id64(rows.columnInt64(0), "comment id");
    comment.documentId = columns::id32(rows.columnInt64(1), "comments.document_id");
    comment.version = columns::id32(rows.columnInt64(2), "comments.version");
    comment.paragraphId = rows.columnText(3);
    comment.paragraphNumber = columns::id32(rows.columnInt64(4), "comments.paragraph_number");
    comment.range.begin = columns::id32(rows.columnInt64(5), "comments.range_begin");
    comment.range.end = columns::id32(rows.columnInt64(6), "comments.range_end");
    comment.quote = rows.columnText(7);
    comment.replyTo = columns::id64(rows.columnInt64(8), "comments.reply_to");
    comment.threadId = columns::id64(rows.columnInt64(9), "comments.thread_id");
    comment.author = columns::principal(rows, 10, "comments");
    comment.authorDelegationId = columns::id32(rows.columnInt64(14), "comments.author_delegation_id");
    comment.groupId = columns::id32(rows.columnInt64(15), "comments.group_id");
    comment.text = rows.columnText(16);
    comment.createdMs = rows.columnInt64(17);
    indexById.emplace(comment.id, comments.size());
    comments.push_back(std::move(comment));
  }
  // Every marking in order: the last one of each comment is its current mark.
  auto marks = db_->prepare(
      "SELECT comment_id, mark, note, by_role, by_id, by_name, by_login, time_ms FROM comment_marks ORDER BY id");
  while (marks.step()) {
    // The foreign key guarantees the comment exists.
    domain::Comment& comment = comments[indexById.at(columns::id64(marks.columnInt64(0), "comment_marks.comment_id"))];
    comment.mark = markFromColumn(marks.columnInt64(1));
    comment.markNote = marks.columnText(2);
    comment.markedBy = columns::principal(marks, 3, "comment_marks");
    comment.markedMs = marks.columnInt64(7);
  }
  return comments;
}

}  // namespace daihoi::store
