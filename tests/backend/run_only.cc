// A program that only runs models: coralpi_backend alone, the way classify and bench use it
// (CreateBackend picks the CPU engine or an Edge TPU, which scans the host layer's devices).
// check_run_only_link.cmake reads its symbols: the host layer is in, board's doctor and setup
// and libfdt are not. It also runs: `backend_run_only model.tflite` invokes the model once.
#include <cstdio>

#include "backend/backend_factory.h"

int main(int argc, char** argv) {
  if (argc < 2) return 0;
  auto model = coralpi::LoadModelSource(argv[1]);
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.error().message.c_str());
    return 1;
  }
  auto choice = coralpi::CreateBackend(*model, coralpi::BackendRequest{});
  if (!choice.ok()) {
    std::fprintf(stderr, "%s\n", choice.error().message.c_str());
    return 1;
  }
  coralpi::Status status = choice->backend->Invoke();
  std::printf("%s: %s\n", choice->backend->name().c_str(),
              status.ok() ? "ok" : status.error().message.c_str());
  return status.ok() ? 0 : 1;
}
