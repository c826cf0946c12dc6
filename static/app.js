// Progressive enhancement only: every page works without this file.
import { initAll } from "./vendor/govuk-frontend-6.6.0/govuk-frontend.min.js";

initAll();
