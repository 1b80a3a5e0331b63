// ModelSource: a verified model together with its bytes; see backend.h.
#include "backend/backend.h"

namespace coralpi {

Result<ModelSource> ModelSourceFromBytes(std::vector<uint8_t> bytes, const std::string& name) {
  CORALPI_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model,
                           Model::FromBytes(std::move(bytes), name));
  return ModelSource{std::move(model)};
}

Result<ModelSource> LoadModelSource(const std::string& path) {
  CORALPI_ASSIGN_OR_RETURN(std::shared_ptr<const Model> model, Model::Load(path));
  return ModelSource{std::move(model)};
}

}  // namespace coralpi
