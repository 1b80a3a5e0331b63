// The fake Edge TPU's "hardware": runs a compiled model's CPU twin on coralpi's CPU engine, so
// that the fake libedgetpu (fake_edgetpu.c) gives the outputs the real TPU would.
//
//   twin_runner MODEL INPUTS OUTPUTS
// INPUTS holds the bytes of each of MODEL's inputs, one after the other; OUTPUTS receives those
// of each output. A separate program, so the fake library stays a small C file.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "engine/cpu_engine.h"
#include "model/model.h"

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "twin_runner: %s\n", message.c_str());
  return 1;
}

size_t Bytes(const coralpi::TensorView& v) {
  return static_cast<size_t>(v.num_elements()) * coralpi::ElementSize(v.type);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return Fail("usage: twin_runner MODEL INPUTS OUTPUTS");
  auto model = coralpi::Model::Load(argv[1]);
  if (!model.ok()) return Fail(model.error().message);
  auto engine = coralpi::CpuEngine::Create(*model);
  if (!engine.ok()) return Fail(engine.error().message);
  std::ifstream in(argv[2], std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = 0;
  for (size_t i = 0; i < (*engine)->input_count(); ++i) {
    coralpi::TensorView v = (*engine)->input(i);
    if (at + Bytes(v) > bytes.size()) return Fail("too few input bytes");
    std::copy(bytes.begin() + static_cast<long>(at),
              bytes.begin() + static_cast<long>(at + Bytes(v)), v.as<char>());
    at += Bytes(v);
  }
  if (at != bytes.size()) return Fail("too many input bytes");
  coralpi::Status s = (*engine)->Invoke();
  if (!s.ok()) return Fail(s.error().message);
  std::ofstream out(argv[3], std::ios::binary);
  for (size_t i = 0; i < (*engine)->output_count(); ++i) {
    coralpi::TensorView v = (*engine)->output(i);
    out.write(v.as<char>(), static_cast<std::streamsize>(Bytes(v)));
  }
  return out.good() ? 0 : Fail("cannot write the outputs");
}
