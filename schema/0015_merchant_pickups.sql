-- A merchant's pickups (GET /v1/merchants/{id}/holds, the /app/merchant/pickups
-- page) are its reward holds: found by merchant, not by scanning every hold.
CREATE INDEX reward_holds_merchant ON reward_holds (merchant_id);
