// A TagLib stream that never copies the file: the tagged file is a list of pieces, each a stretch of the
// original (mapped read-only) or bytes TagLib wrote. Inserting a larger tag at the start of a 500 MiB
// file is a change to this list, not a 500 MiB memmove; the audio stays where it is in the original,
// which is also how liner proves it unchanged (a piece that maps it to the same original bytes).
#include "internal.hpp"

#include <algorithm>
#include <cstring>
#include <liner/credits/error.hpp>
#include <taglib/tbytevector.h>

namespace liner::tagging::detail {

PieceStream::PieceStream(Bytes original, std::string name) : own_(original), name_(std::move(name)) {
  if (!original.empty()) pieces_.push_back({original.size(), 0, false});
  size_ = original.size();
}

PieceStream::PieceStream(const FileImage& original, std::string name)
    : original_(&original), name_(std::move(name)) {
  if (original.size() > 0) pieces_.push_back({original.size(), 0, false});
  size_ = original.size();
}

std::size_t PieceStream::locate(std::uint64_t off, std::uint64_t& piece_start) const {
  if (dirty_) {
    starts_.resize(pieces_.size());
    std::uint64_t at = 0;
    for (std::size_t i = 0; i < pieces_.size(); ++i)
      starts_[i] = at, at += pieces_[i].size;
    dirty_ = false;
  }
  auto it = std::upper_bound(starts_.begin(), starts_.end(), off);
  std::size_t i = static_cast<std::size_t>(it - starts_.begin()) - 1;
  piece_start = starts_[i];
  return i;
}

Bytes PieceStream::added_bytes(const Piece& p) const {
  if (!p.added) throw Error("internal: added_bytes() of a piece of the original");
  return {added_.data() + p.src, static_cast<std::size_t>(p.size)};
}

void PieceStream::copy_out(std::uint64_t off, std::uint64_t n, std::uint8_t* out) const {
  if (n == 0) return;
  std::uint64_t start = 0;
  std::size_t i = locate(off, start);
  std::uint64_t within = off - start;
  while (n > 0) {
    const Piece& p = pieces_[i++];
    std::uint64_t take = std::min(n, p.size - within);
    if (p.added)
      std::memcpy(out, added_.data() + p.src + within, take);
    else
      original_->copy(p.src + within, take, out);
    out += take, n -= take, within = 0;
  }
}

const std::uint8_t* PieceStream::contiguous(std::uint64_t off, std::uint64_t n) const {
  if (n == 0 || off + n > size_) return nullptr;
  std::uint64_t start = 0;
  const Piece& p = pieces_[locate(off, start)];
  if (off + n > start + p.size) return nullptr;
  return p.added ? added_.data() + p.src + (off - start) : original_->peek(p.src + (off - start), n);
}

bool PieceStream::is_original(std::uint64_t off, std::uint64_t n, std::uint64_t original_off) const {
  if (n == 0) return true;
  if (off + n > size_) return false;
  std::uint64_t start = 0;
  std::size_t i = locate(off, start);
  std::uint64_t within = off - start;
  while (n > 0) {
    const Piece& p = pieces_[i++];
    if (p.added || p.src + within != original_off) return false;
    std::uint64_t take = std::min(n, p.size - within);
    n -= take, original_off += take, within = 0;
  }
  return true;
}

void PieceStream::replace(std::uint64_t start, std::uint64_t remove, const std::uint8_t* data,
                          std::uint64_t n) {
  if (start > size_) { // writing past the end: the gap reads as zeros (as in TagLib's own streams)
    std::uint64_t gap = start - size_;
    std::vector<std::uint8_t> zeros(gap, 0);
    replace(size_, 0, zeros.data(), gap);
  }
  remove = std::min(remove, size_ - start);
  std::vector<Piece> out;
  out.reserve(pieces_.size() + 2);
  std::uint64_t at = 0;
  bool placed = false;
  auto place = [&] {
    if (placed) return;
    placed = true;
    if (n == 0) return;
    // Bytes written right after the previous write extend its piece (TagLib writes tags in small blocks).
    if (!out.empty() && out.back().added && out.back().src + out.back().size == added_.size()) {
      added_.insert(added_.end(), data, data + n);
      out.back().size += n;
      return;
    }
    out.push_back({n, added_.size(), true});
    added_.insert(added_.end(), data, data + n);
  };
  const std::uint64_t end = start + remove;
  for (const Piece& p : pieces_) {
    const std::uint64_t p_end = at + p.size;
    if (at < start) out.push_back({std::min(p_end, start) - at, p.src, p.added}); // what lies before
    if (p_end > end) {                                                            // what lies after
      place();
      const std::uint64_t from = std::max(at, end);
      out.push_back({p_end - from, p.src + (from - at), p.added});
    }
    at = p_end;
  }
  place(); // at the end of the file
  pieces_ = std::move(out);
  size_ = size_ - remove + n;
  dirty_ = true;
}

TagLib::ByteVector PieceStream::readBlock(unsigned long length) {
  if (length == 0 || pos_ < 0 || static_cast<std::uint64_t>(pos_) >= size_) return {};
  std::uint64_t n = std::min<std::uint64_t>(length, size_ - static_cast<std::uint64_t>(pos_));
  TagLib::ByteVector out(static_cast<unsigned int>(n), '\0');
  copy_out(static_cast<std::uint64_t>(pos_), n, reinterpret_cast<std::uint8_t*>(out.data()));
  pos_ += static_cast<long>(n);
  return out;
}

void PieceStream::writeBlock(const TagLib::ByteVector& data) {
  if (pos_ < 0) return;
  const auto start = static_cast<std::uint64_t>(pos_);
  const std::uint64_t n = data.size();
  const std::uint64_t overwritten = start >= size_ ? 0 : std::min(n, size_ - start);
  replace(start, overwritten, reinterpret_cast<const std::uint8_t*>(data.data()), n);
  pos_ += static_cast<long>(n);
}

void PieceStream::insert(const TagLib::ByteVector& data, unsigned long start, unsigned long replace_length) {
  replace(start, replace_length, reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
  pos_ = static_cast<long>(start + data.size());
}

void PieceStream::removeBlock(unsigned long start, unsigned long length) {
  replace(start, length, nullptr, 0);
  pos_ = static_cast<long>(size_); // as TagLib's streams leave it
}

void PieceStream::seek(long offset, Position p) {
  switch (p) {
  case Beginning:
    pos_ = offset;
    break;
  case Current:
    pos_ += offset;
    break;
  case End:
    pos_ = static_cast<long>(size_) + offset;
    break;
  }
}

void PieceStream::truncate(long length) {
  if (length < 0) return;
  const auto n = static_cast<std::uint64_t>(length);
  if (n < size_)
    replace(n, size_ - n, nullptr, 0);
  else if (n > size_)
    replace(n, 0, nullptr, 0); // zero-fills the gap
}

// ---- View -----------------------------------------------------------------------------------------

const std::uint8_t* View::get(std::uint64_t off, std::size_t n) const {
  if (!stream_ && !image_) return flat_.data() + off;
  if (const std::uint8_t* p = stream_ ? stream_->contiguous(off, n) : image_->peek(off, n)) return p;
  scratch_.resize(n);
  if (stream_)
    stream_->copy_out(off, n, scratch_.data());
  else
    image_->copy(off, n, scratch_.data());
  return scratch_.data();
}

bool View::at(std::uint64_t off, std::string_view magic) const {
  return size_ >= off + magic.size() && std::memcmp(get(off, magic.size()), magic.data(), magic.size()) == 0;
}

} // namespace liner::tagging::detail
