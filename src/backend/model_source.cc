// ModelSource: a verified model together with its bytes; see backend.h.
#include "backend/backend.h"
#include "core/file.h"

namespace coralpi {

Result<ModelSource> ModelSourceFromBytes(std::vector<uint8_t> bytes, const std::string& name) {
  auto shared = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  CORALPI_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model,
                           Model::FromBytes(std::vector<uint8_t>(*shared), name));
  return ModelSource{std::move(model), std::move(shared)};
}

Result<ModelSource> LoadModelSource(const std::string& path) {
  // Model::Load gives the errors users know (missing, empty, not a model); read the bytes
  // only once the model is known to be good.
  CORALPI_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model, Model::Load(path));
  CORALPI_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return ModelSource{std::move(model),
                     std::make_shared<const std::vector<uint8_t>>(std::move(bytes))};
}

}  // namespace coralpi
