#include "model/test_zip.h"

#include <zlib.h>

#include <stdexcept>

namespace coralpi::testing {
namespace {

void Put16(std::vector<uint8_t>& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

void Put32(std::vector<uint8_t>& out, uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}

void PutBytes(std::vector<uint8_t>& out, const std::string& s) {
  out.insert(out.end(), s.begin(), s.end());
}

// Raw deflate (no zlib header), as zip's method 8 stores it.
std::string Deflate(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

struct Written {
  const ZipFileSpec* spec;
  uint32_t crc, compressed, uncompressed, offset;
  uint16_t method;
};

// The fields both headers share, from "version needed" to the name's length.
void PutCommon(std::vector<uint8_t>& out, const Written& w) {
  Put16(out, 20);  // version needed: 2.0
  Put16(out, w.spec->flags);
  Put16(out, w.method);
  Put16(out, 0x0000);  // time
  Put16(out, 0x5821);  // date: 2024-01-01
  Put32(out, w.crc);
  Put32(out, w.compressed);
  Put32(out, w.uncompressed);
  Put16(out, static_cast<uint32_t>(w.spec->name.size()));
  Put16(out, 0);  // extra field length
}

}  // namespace

std::vector<uint8_t> MakeZip(const std::vector<ZipFileSpec>& files, uint64_t base_offset) {
  std::vector<uint8_t> out;
  std::vector<Written> written;
  for (const ZipFileSpec& f : files) {
    const std::string stored = f.deflate ? Deflate(f.data) : f.data;
    const auto real_crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(f.data.data()), static_cast<uInt>(f.data.size())));
    Written w{&f,
              f.crc.value_or(real_crc),
              static_cast<uint32_t>(stored.size()),
              f.uncompressed_size.value_or(static_cast<uint32_t>(f.data.size())),
              static_cast<uint32_t>(base_offset + out.size()),
              f.method.value_or(f.deflate ? 8 : 0)};
    Put32(out, 0x04034b50);
    PutCommon(out, w);
    PutBytes(out, f.name);
    PutBytes(out, stored);
    written.push_back(w);
  }
  const auto directory_at = static_cast<uint32_t>(base_offset + out.size());
  const size_t directory_start = out.size();
  for (const Written& w : written) {
    Put32(out, 0x02014b50);
    Put16(out, 0x0314);  // made by: Unix, 2.0
    PutCommon(out, w);
    Put16(out, 0);           // comment length
    Put16(out, 0);           // disk
    Put16(out, 0);           // internal attributes
    Put32(out, 0x81800000);  // external attributes: a regular file, rw-------
    Put32(out, w.offset);
    PutBytes(out, w.spec->name);
  }
  const auto directory_size = static_cast<uint32_t>(out.size() - directory_start);
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<uint32_t>(files.size()));
  Put16(out, static_cast<uint32_t>(files.size()));
  Put32(out, directory_size);
  Put32(out, directory_at);
  Put16(out, 0);  // comment length
  return out;
}

std::vector<uint8_t> AppendZip(std::vector<uint8_t> file, const std::vector<ZipFileSpec>& files) {
  std::vector<uint8_t> zip = MakeZip(files, file.size());
  file.insert(file.end(), zip.begin(), zip.end());
  return file;
}

size_t CentralDirectoryOffset(const std::vector<uint8_t>& b) {
  const size_t end = b.size() - 22;
  return b[end + 16] | (size_t{b[end + 17]} << 8) | (size_t{b[end + 18]} << 16) |
         (size_t{b[end + 19]} << 24);
}

}  // namespace coralpi::testing
