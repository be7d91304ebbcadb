"""The demo corpus's words: story templates written for vnnews's demo (not copied from any paper).

Every template is one story. Its slots are filled once per article, with the same values everywhere
in it (crawler/snapshot/stories.py), so a title, its sapo, its body and its captions always tell the
same story about the same place:

- ``{noi}`` the place as written at the story's date ("huyện Diễn Châu" before 1 July 2025, "xã Diễn
  Châu" after), ``{Noi}`` the same with a capital, ``{ten}`` its bare name, ``{tinh}`` the province;
- ``{a}``, ``{b}`` numbers drawn in the template's ranges; ``{thang}``, ``{nam}`` the story's month and year.

``marker``: a phrase every part of the story holds (title, sapo, a body paragraph, every caption) and no
other template ever writes: the coherence test (tests/crawler/test_demo_corpus.py) reads it. People in
the stories have no names and no office a reader could mistake for a real person's words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    marker: str
    section: str  # section slug; SECTIONS gives its name
    image: str  # placeholder image (crawler/snapshot/placeholders.py)
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    leads: tuple[str, ...]
    subheads: tuple[str, ...]
    paragraphs: tuple[tuple[str, ...], ...]  # one of each tuple, in order
    captions: tuple[str, ...]
    numbers: tuple[tuple[int, int], tuple[int, int]] = ((10, 99), (10, 99))  # ranges of {a} and {b}
    months: tuple[int, ...] = ()  # the only months it is written in (empty: all year)
    wire: bool = False  # a national wire story: no place, the same text in every paper that runs it


SECTIONS = {
    "thoi-su": "Thời sự",
    "kinh-te": "Kinh tế",
    "xa-hoi": "Xã hội",
    "giao-duc": "Giáo dục",
    "suc-khoe": "Sức khỏe",
    "the-thao": "Thể thao",
    "phap-luat": "Pháp luật",
}

LOCAL = (
    Topic(
        key="lua-he-thu",
        marker="lúa hè thu",
        section="kinh-te",
        image="dong-ruong",
        tags=("Nông nghiệp", "Lúa hè thu"),
        months=(7, 8, 9),
        numbers=((800, 4200), (48, 61)),
        titles=(
            "{ten} thu hoạch {a} ha lúa hè thu",
            "Lúa hè thu ở {ten} đạt {b} tạ/ha",
            "Nông dân {ten} tất bật gặt lúa hè thu",
        ),
        leads=(
            "Những ngày cuối tháng {thang}/{nam}, nông dân {noi} ra đồng thu hoạch {a} ha lúa hè thu, năng "
            "suất bình quân ước đạt {b} tạ/ha.",
            "Vụ lúa hè thu năm {nam} ở {noi} cho năng suất khoảng {b} tạ/ha trên diện tích {a} ha, cao hơn "
            "vụ trước nhờ thời tiết thuận lợi.",
        ),
        subheads=("Gặt nhanh trước mùa mưa bão", "Máy gặt về tận ruộng"),
        paragraphs=(
            (
                "Trên những cánh đồng lúa hè thu của {noi}, tiếng máy gặt đập liên hợp vang lên từ sáng "
                "sớm. Bà Hoa, một nông dân {noi} có hơn một mẫu ruộng, cho biết năm nay lúa chắc hạt, ít "
                "sâu bệnh nên gia đình thu được nhiều hơn năm ngoái.",
                "Theo Phòng Nông nghiệp {noi}, toàn bộ {a} ha lúa hè thu được gieo cấy đúng khung lịch thời "
                "vụ. Những giống lúa ngắn ngày giúp bà con thu hoạch sớm, tránh được những đợt mưa lớn "
                "thường đến vào cuối mùa.",
            ),
            (
                "Năng suất {b} tạ/ha là mức cao so với nhiều năm gần đây. Cán bộ khuyến nông khuyên bà con "
                "{noi} phơi khô, bảo quản thóc cẩn thận và xử lý rơm rạ thay vì đốt ngoài đồng.",
                "Thương lái về {noi} thu mua lúa tươi ngay tại ruộng, giá ổn định nên nông dân yên tâm. "
                "Nhiều hợp tác xã còn hỗ trợ máy sấy để bà con giữ được chất lượng hạt thóc.",
            ),
            (
                "Để kịp thời vụ, {noi} huy động hàng chục máy gặt, ưu tiên những chân ruộng trũng dễ ngập. "
                "Lãnh đạo địa phương yêu cầu các thôn, xóm theo dõi sát dự báo thời tiết.",
                "Ngay sau khi gặt, nhiều hộ ở {noi} làm đất chuẩn bị cho vụ đông với ngô, khoai lang và rau "
                "màu, tăng thu nhập trên cùng một diện tích.",
            ),
            (
                "Ngành nông nghiệp tỉnh {tinh} đánh giá vụ lúa hè thu năm nay ở {noi} thắng lợi, là cơ sở "
                "để mở rộng những mô hình cánh đồng lớn.",
                "Kết quả vụ lúa hè thu ở {noi} góp phần giữ vững sản lượng lương thực của tỉnh {tinh} trong "
                "năm {nam}.",
            ),
        ),
        captions=(
            "Nông dân {noi} thu hoạch lúa hè thu.",
            "Máy gặt trên cánh đồng lúa hè thu ở {noi}.",
        ),
    ),
    Topic(
        key="lua-dong-xuan",
        marker="lúa đông xuân",
        section="kinh-te",
        image="dong-ruong",
        tags=("Nông nghiệp", "Lúa đông xuân"),
        months=(1, 2, 3),
        numbers=((1200, 6000), (2, 9)),
        titles=(
            "{ten} gieo cấy {a} ha lúa đông xuân",
            "Nông dân {ten} xuống đồng vụ lúa đông xuân",
        ),
        leads=(
            "Sau Tết, nông dân {noi} ra đồng gieo cấy {a} ha lúa đông xuân, phấn đấu xong trong {b} ngày "
            "tới.",
            "Vụ lúa đông xuân năm {nam}, {noi} kế hoạch gieo cấy {a} ha, phần lớn bằng giống lúa chất lượng "
            "cao.",
        ),
        subheads=("Giữ nước cho mạ non", "Đẩy nhanh tiến độ gieo cấy"),
        paragraphs=(
            (
                "Những ngày này, đồng ruộng {noi} nhộn nhịp người ra đồng cấy lúa đông xuân. Ông Tâm, một "
                "nông dân cao tuổi, nói trời ấm hơn mọi năm nên mạ lên đều, không bị chết rét.",
                "Cán bộ khuyến nông {noi} hướng dẫn bà con che phủ ni lông cho mạ, bón phân cân đối và giữ "
                "mực nước trong ruộng để lúa đông xuân bén rễ nhanh.",
            ),
            (
                "Các trạm bơm của {noi} chạy hết công suất để đưa nước về những chân ruộng cao. Hợp tác xã "
                "dịch vụ nông nghiệp cung ứng giống, phân bón trả chậm cho các hộ khó khăn.",
                "Năm nay, diện tích cấy bằng máy ở {noi} tăng lên, giúp giảm công lao động và giữ mật độ "
                "cây lúa đồng đều trên cả cánh đồng.",
            ),
            (
                "Theo kế hoạch, {noi} hoàn thành gieo cấy {a} ha trong khoảng {b} ngày tới, sau đó tập "
                "trung chăm sóc, phòng trừ chuột và sâu bệnh đầu vụ.",
                "Ngành nông nghiệp tỉnh {tinh} khuyến cáo nông dân {noi} theo dõi rét đậm, không gieo cấy "
                "khi nhiệt độ xuống thấp dưới 15 độ C.",
            ),
            (
                "Với {a} ha lúa đông xuân, {noi} kỳ vọng một vụ mùa bội thu nếu thời tiết thuận lợi đến "
                "cuối vụ.",
                "Cuối vụ lúa đông xuân, {noi} sẽ tổng kết những mô hình giống mới để nhân rộng trong năm "
                "{nam}.",
            ),
        ),
        captions=(
            "Nông dân {noi} cấy lúa đông xuân.",
            "Cánh đồng lúa đông xuân ở {noi} những ngày đầu vụ.",
        ),
    ),
    Topic(
        key="chuyen-doi-so",
        marker="chuyển đổi số",
        section="thoi-su",
        image="hoi-nghi",
        tags=("Chuyển đổi số", "Dịch vụ công"),
        months=(10,),
        numbers=((60, 98), (300, 2500)),
        titles=(
            "{ten} đẩy mạnh chuyển đổi số trong dịch vụ công",
            "Chuyển đổi số: {a}% hồ sơ ở {ten} được nộp trực tuyến",
            "Tổ công nghệ số cộng đồng giúp người dân {ten} chuyển đổi số",
        ),
        leads=(
            "Đến tháng {thang}/{nam}, {a}% hồ sơ hành chính ở {noi} được tiếp nhận trực tuyến, kết quả của "
            "nhiều tháng đẩy mạnh chuyển đổi số từ cơ sở.",
            "Hơn {b} người dân {noi} được tổ công nghệ số cộng đồng hướng dẫn cài đặt ứng dụng, thanh toán "
            "không dùng tiền mặt: chuyển đổi số đang đi vào từng thôn, xóm.",
        ),
        subheads=("Từ bộ phận một cửa đến từng thôn, xóm", "Người dân là trung tâm"),
        paragraphs=(
            (
                "Tại bộ phận một cửa của {noi}, cán bộ hướng dẫn người dân nộp hồ sơ qua cổng dịch vụ công "
                "bằng điện thoại. Chuyển đổi số giúp người dân {noi} bớt đi lại và giấy tờ.",
                "Các tổ công nghệ số cộng đồng ở {noi} gồm đoàn viên thanh niên, giáo viên và cán bộ thôn, "
                "đến từng nhà giúp bà con làm quen với chuyển đổi số.",
            ),
            (
                "Tỷ lệ hồ sơ trực tuyến của {noi} đạt {a}%, cao hơn nhiều so với năm trước. Mỗi tháng {noi} "
                "có thêm khoảng {b} tài khoản định danh điện tử được kích hoạt.",
                "Chợ và cửa hàng ở trung tâm {noi} đã dán mã QR để khách thanh toán không dùng tiền mặt; "
                "hơn {b} hộ kinh doanh tham gia.",
            ),
            (
                "Lãnh đạo {noi} cho biết khó khăn lớn nhất là người cao tuổi chưa quen dùng điện thoại "
                "thông minh, nên {noi} mở thêm các lớp hướng dẫn vào buổi tối cho {b} người.",
                "{Noi} cũng số hóa sổ hộ tịch cũ để tra cứu nhanh, phục vụ giải quyết thủ tục cho người dân "
                "ở xa.",
            ),
            (
                "Tỉnh {tinh} đặt mục tiêu mọi thủ tục ở {noi} và các địa phương khác đủ điều kiện đều được "
                "giải quyết trực tuyến toàn trình, coi chuyển đổi số là nhiệm vụ trọng tâm của năm {nam}.",
                "Kết quả của {noi} được tỉnh {tinh} ghi nhận là cách làm hay về chuyển đổi số ở cơ sở.",
            ),
        ),
        captions=(
            "Cán bộ {noi} hướng dẫn người dân nộp hồ sơ trực tuyến, một bước của chuyển đổi số.",
            "Tổ công nghệ số cộng đồng ở {noi} hỗ trợ người dân chuyển đổi số.",
        ),
    ),
    Topic(
        key="thi-tot-nghiep",
        marker="kỳ thi tốt nghiệp",
        section="giao-duc",
        image="truong-hoc",
        tags=("Giáo dục", "Thi tốt nghiệp THPT"),
        months=(5, 6, 7),
        numbers=((900, 3800), (8, 24)),
        titles=(
            "{a} thí sinh {ten} bước vào kỳ thi tốt nghiệp THPT",
            "{ten} sẵn sàng cho kỳ thi tốt nghiệp THPT năm {nam}",
        ),
        leads=(
            "Năm {nam}, {noi} có {a} thí sinh dự kỳ thi tốt nghiệp THPT tại {b} điểm thi; công tác chuẩn bị "
            "đã hoàn tất.",
            "Với {b} điểm thi và {a} thí sinh, {noi} bước vào kỳ thi tốt nghiệp THPT năm {nam} với tinh "
            "thần an toàn, nghiêm túc.",
        ),
        subheads=("Lo chỗ ở cho thí sinh xa nhà", "Ôn tập những ngày cuối"),
        paragraphs=(
            (
                "Các điểm thi ở {noi} đã được kiểm tra phòng thi, camera giám sát và nơi cất giữ đề thi. "
                "Lực lượng công an, y tế được bố trí trực suốt kỳ thi tốt nghiệp.",
                "Những ngày cuối trước kỳ thi tốt nghiệp, học sinh lớp 12 ở {noi} ôn tập theo nhóm, thầy cô "
                "trực ở trường để giải đáp những phần còn vướng.",
            ),
            (
                "Đoàn thanh niên {noi} tổ chức các đội tiếp sức mùa thi, chuẩn bị nước uống, chỗ nghỉ trưa "
                "và xe đưa đón cho thí sinh ở những thôn, bản xa điểm thi.",
                "Nhiều gia đình ở {noi} thuê nhà trọ gần trường cho con. Một số nhà trường mở cửa ký túc xá "
                "miễn phí cho thí sinh có hoàn cảnh khó khăn.",
            ),
            (
                "Năm nay, {a} thí sinh của {noi} dự thi, phần lớn đăng ký xét tuyển đại học bằng kết quả "
                "thi. Ngành giáo dục tỉnh {tinh} nhắc thí sinh mang đủ giấy tờ, đến sớm.",
                "Ngành giáo dục tỉnh {tinh} cho biết các khâu in sao, vận chuyển đề thi đến {b} điểm thi "
                "của {noi} được làm theo đúng quy chế, không để xảy ra sai sót.",
            ),
            (
                "Sau kỳ thi tốt nghiệp, {noi} bố trí xe đưa {b} đoàn thí sinh vùng xa về nhà an toàn.",
                "Kết quả kỳ thi tốt nghiệp của {a} thí sinh {noi} sẽ được công bố theo lịch chung của cả "
                "nước.",
            ),
        ),
        captions=(
            "Thí sinh {noi} ôn tập trước kỳ thi tốt nghiệp.",
            "Một điểm thi ở {noi} chuẩn bị cho kỳ thi tốt nghiệp.",
        ),
    ),
    Topic(
        key="khai-giang",
        marker="khai giảng",
        section="giao-duc",
        image="truong-hoc",
        tags=("Giáo dục", "Năm học mới"),
        months=(9,),
        numbers=((9000, 32000), (25, 90)),
        titles=(
            "Hơn {a} học sinh {ten} dự lễ khai giảng",
            "{ten}: ngày khai giảng ở ngôi trường mới",
        ),
        leads=(
            "Hơn {a} học sinh {noi} dự lễ khai giảng năm học mới, trong đó nhiều em học trong {b} phòng học "
            "vừa được xây mới.",
            "Lễ khai giảng năm học mới ở {noi} diễn ra trong niềm vui của thầy trò khi {b} phòng học mới "
            "được đưa vào sử dụng.",
        ),
        subheads=("Trống trường rộn ràng", "Phòng học mới cho vùng khó"),
        paragraphs=(
            (
                "Từ sáng sớm, sân trường ở {noi} rực rỡ cờ hoa. Học sinh lớp 1 theo bố mẹ đến dự lễ khai "
                "giảng đầu tiên, nhiều em còn bỡ ngỡ.",
                "Tiếng trống khai giảng vang lên, mở đầu năm học mới với hơn {a} học sinh các cấp ở {noi}.",
            ),
            (
                "Năm nay, {b} phòng học mới được đưa vào sử dụng, thay cho những lớp học tạm. Các trường "
                "được bổ sung bàn ghế, máy chiếu và sách thư viện.",
                "Ở các bản vùng cao của {noi}, giáo viên đến tận nhà vận động những em có nguy cơ bỏ học "
                "trở lại lớp.",
            ),
            (
                "Ngành giáo dục tỉnh {tinh} đặt mục tiêu cùng {noi} nâng chất lượng dạy ngoại ngữ và tin "
                "học, giảm số học sinh bỏ học ở vùng khó.",
                "Nhiều nhà hảo tâm trao học bổng, xe đạp cho học sinh nghèo vượt khó của {noi} ngay trong "
                "buổi lễ.",
            ),
            (
                "Sau lễ khai giảng, học sinh {noi} bước vào tuần học đầu tiên với {b} phòng học mới khang "
                "trang.",
                "Năm học này, {noi} tiếp tục sắp xếp lại mạng lưới trường lớp sau lễ khai giảng để {a} học "
                "sinh học gần nhà.",
            ),
        ),
        captions=(
            "Học sinh {noi} trong lễ khai giảng.",
            "Thầy trò {noi} đánh trống khai giảng năm học mới.",
        ),
    ),
    Topic(
        key="mua-lu",
        marker="mưa lũ",
        section="xa-hoi",
        image="mua-lu",
        tags=("Thời tiết", "Phòng chống thiên tai"),
        months=(9, 10, 11),
        numbers=((40, 900), (2, 12)),
        titles=(
            "Mưa lũ làm ngập {a} ngôi nhà ở {ten}",
            "{ten} khắc phục hậu quả mưa lũ",
            "Mưa lũ chia cắt {b} thôn, bản ở {ten}",
        ),
        leads=(
            "Mưa lũ kéo dài khiến {a} ngôi nhà ở {noi} bị ngập, {b} thôn, bản bị chia cắt; chính quyền đã "
            "di dời người dân đến nơi an toàn.",
            "Sau mưa lũ, {noi} huy động lực lượng dọn bùn đất, sửa đường và hỗ trợ {a} hộ dân có nhà bị "
            "ngập.",
        ),
        subheads=("Di dời dân trong đêm", "Dọn dẹp sau lũ"),
        paragraphs=(
            (
                "Mưa lũ bắt đầu từ chiều tối, nước sông lên nhanh. Lực lượng dân quân, công an {noi} dùng "
                "thuyền đưa người già, trẻ em ra khỏi vùng ngập.",
                "Sau mưa lũ, nước rút, người dân {noi} bắt tay dọn bùn đất trong nhà. Đoàn viên thanh niên "
                "đến giúp các gia đình neo đơn lau rửa đồ đạc.",
            ),
            (
                "Thống kê ban đầu có {a} ngôi nhà bị ngập, {b} thôn, bản bị chia cắt, nhiều diện tích hoa "
                "màu bị vùi lấp. Không có thiệt hại về người.",
                "Một số đoạn đường liên xã ở {noi} bị sạt lở. Ngành giao thông đã cắm biển cảnh báo và bố "
                "trí người trực tại những điểm ngập sâu.",
            ),
            (
                "Chính quyền {noi} cấp mì tôm, nước uống cho các hộ bị ảnh hưởng và kiểm tra chất lượng "
                "nước sinh hoạt sau lũ để phòng dịch bệnh.",
                "Ban chỉ huy phòng chống thiên tai tỉnh {tinh} yêu cầu {noi} và các địa phương không để "
                "người dân qua lại ngầm, tràn khi nước đang lên.",
            ),
            (
                "Sau mưa lũ, {noi} rà soát {b} điểm có nguy cơ sạt lở để di dời dân trước mùa mưa năm sau.",
                "Thiệt hại do mưa lũ ở {noi} đang được thống kê để đề nghị tỉnh {tinh} hỗ trợ {a} hộ dân.",
            ),
        ),
        captions=(
            "Đường vào thôn ở {noi} ngập sâu sau mưa lũ.",
            "Người dân {noi} dọn dẹp sau mưa lũ.",
        ),
    ),
    Topic(
        key="sot-xuat-huyet",
        marker="sốt xuất huyết",
        section="suc-khoe",
        image="y-te",
        tags=("Sức khỏe", "Phòng dịch"),
        months=(7, 8, 9, 10),
        numbers=((12, 260), (3, 15)),
        titles=(
            "{ten} ghi nhận {a} ca sốt xuất huyết",
            "Phun hóa chất phòng sốt xuất huyết ở {ten}",
        ),
        leads=(
            "Từ đầu năm {nam}, {noi} ghi nhận {a} ca sốt xuất huyết, tập trung ở {b} thôn, khối; ngành y tế "
            "đã phun hóa chất diệt muỗi tại các ổ dịch.",
            "Trước số ca sốt xuất huyết tăng lên, {noi} ra quân diệt bọ gậy, phun hóa chất tại {b} điểm có "
            "nguy cơ.",
        ),
        subheads=("Diệt bọ gậy từ mỗi gia đình", "Đừng tự điều trị tại nhà"),
        paragraphs=(
            (
                "Các đội y tế {noi} đến từng nhà kiểm tra dụng cụ chứa nước, lật úp chum vại, thả cá ăn bọ "
                "gậy. Mỗi hộ được phát tờ rơi về phòng sốt xuất huyết.",
                "Bệnh viện ở {noi} đang điều trị nhiều bệnh nhân sốt xuất huyết, phần lớn là người trong độ "
                "tuổi lao động. Các ca bệnh đều được theo dõi sát.",
            ),
            (
                "Bác sĩ ở {noi} khuyến cáo khi sốt cao liên tục, người dân cần đến cơ sở y tế, không tự "
                "truyền dịch hay dùng thuốc hạ sốt không đúng chỉ định.",
                "Sau mưa, nước đọng ở chai lọ, lốp xe cũ là nơi muỗi đẻ trứng. Các thôn ở {noi} tổ chức "
                "tổng vệ sinh vào sáng chủ nhật hằng tuần.",
            ),
            (
                "Trung tâm Kiểm soát bệnh tật tỉnh {tinh} dự báo số ca ở {noi} có thể còn tăng trong những "
                "tuần tới và đề nghị các địa phương không chủ quan.",
                "Với {a} ca mắc từ đầu năm, {noi} là một trong những địa phương được tỉnh {tinh} theo dõi "
                "chặt chẽ.",
            ),
            (
                "Trong tháng {thang}, {noi} tiếp tục phun hóa chất vòng hai tại {b} ổ dịch sốt xuất huyết.",
                "Người dân {noi} có dấu hiệu sốt xuất huyết được khuyên đến trạm y tế gần nhất để xét "
                "nghiệm sớm.",
            ),
        ),
        captions=(
            "Nhân viên y tế {noi} phun hóa chất phòng sốt xuất huyết.",
            "Người dân {noi} diệt bọ gậy phòng sốt xuất huyết.",
        ),
    ),
    Topic(
        key="qua-tet",
        marker="quà Tết",
        section="xa-hoi",
        image="le-hoi",
        tags=("An sinh xã hội", "Tết Nguyên đán"),
        months=(1, 2),
        numbers=((300, 2600), (300, 800)),
        titles=(
            "{ten} trao {a} suất quà Tết cho hộ khó khăn",
            "Quà Tết đến với hộ nghèo {ten}",
        ),
        leads=(
            "Trước Tết Nguyên đán, {noi} trao {a} suất quà Tết, mỗi suất trị giá {b} nghìn đồng, cho hộ "
            "nghèo, gia đình chính sách và người cao tuổi neo đơn.",
            "Những suất quà Tết trị giá {b} nghìn đồng đã đến tay {a} hộ khó khăn ở {noi}, để không ai "
            "thiếu Tết.",
        ),
        subheads=("Không để ai thiếu Tết", "Ấm lòng ngày cuối năm"),
        paragraphs=(
            (
                "Trong buổi trao quà Tết ở {noi}, bà Lan, một người cao tuổi sống một mình, xúc động nói "
                "năm nào cũng được chính quyền và hàng xóm quan tâm.",
                "Mỗi suất quà Tết gồm gạo, dầu ăn, bánh kẹo và tiền mặt, được cán bộ {noi} mang đến tận nhà "
                "những người không đi lại được.",
            ),
            (
                "Nguồn quà do doanh nghiệp, nhà hảo tâm và các đoàn thể đóng góp. Tổng cộng {a} suất quà "
                "được trao trong những ngày giáp Tết.",
                "Các chợ phiên ở {noi} cũng được tổ chức để bà con mua sắm với giá thấp, nhiều mặt hàng do "
                "hợp tác xã địa phương sản xuất.",
            ),
            (
                "Tỉnh {tinh} yêu cầu {noi} và các địa phương rà soát kỹ danh sách, bảo đảm quà đến đúng "
                "người, đúng lúc.",
                "Chính quyền {noi} cho biết sẽ tiếp tục thăm hỏi các gia đình có người ốm đau dài ngày sau "
                "Tết.",
            ),
            (
                "Ngoài {a} suất quà Tết, {noi} còn vận động các gia đình khá giả giúp đỡ hàng xóm khó khăn.",
                "Đợt trao quà Tết ở {noi} kết thúc trước Tết một tuần, mỗi suất trị giá {b} nghìn đồng.",
            ),
        ),
        captions=(
            "Cán bộ {noi} trao quà Tết cho người cao tuổi.",
            "Những suất quà Tết chuẩn bị trao cho hộ khó khăn ở {noi}.",
        ),
    ),
    Topic(
        key="bong-da",
        marker="bóng đá",
        section="the-thao",
        image="the-thao",
        tags=("Thể thao", "Bóng đá phong trào"),
        numbers=((8, 32), (2, 5)),
        titles=(
            "Giải bóng đá thiếu niên {ten} quy tụ {a} đội",
            "Sôi nổi giải bóng đá phong trào ở {ten}",
        ),
        leads=(
            "Giải bóng đá thiếu niên {noi} năm {nam} quy tụ {a} đội bóng của các thôn, xóm, thi đấu trong "
            "{b} tuần trên sân vận động trung tâm.",
            "Với {a} đội tham dự, giải bóng đá phong trào của {noi} thu hút đông đảo người hâm mộ mỗi chiều "
            "cuối tuần.",
        ),
        subheads=("Khán đài chật kín", "Ươm mầm tài năng"),
        paragraphs=(
            (
                "Những trận bóng đá ở {noi} diễn ra sôi nổi, cổ động viên các thôn mang trống, cờ đến sân. "
                "Nhiều bàn thắng đẹp được ghi từ những pha phối hợp nhanh.",
                "Ban tổ chức giải bóng đá chia {a} đội thành các bảng, chọn đội nhất, nhì mỗi bảng vào vòng "
                "loại trực tiếp. Giải kéo dài {b} tuần.",
            ),
            (
                "Huấn luyện viên của một đội bóng ở {noi} cho biết các cầu thủ nhỏ tập luyện sau giờ học, "
                "trên những bãi đất trống của thôn.",
                "Giải là dịp để các câu lạc bộ tỉnh {tinh} tìm kiếm những cầu thủ có năng khiếu ở {noi}.",
            ),
            (
                "Nhà tài trợ trao giày, bóng cho {a} đội. Ban tổ chức cũng lập quỹ hỗ trợ cầu thủ gặp chấn "
                "thương trong giải.",
                "Trận chung kết dự kiến diễn ra vào cuối tháng {thang}, sau {b} tuần tranh tài.",
            ),
            (
                "Đội vô địch giải bóng đá {noi} nhận cúp và phần thưởng, {b} cầu thủ xuất sắc được khen.",
                "Sau giải bóng đá, {noi} dự kiến tổ chức thêm giải cho học sinh trung học với khoảng {a} "
                "đội.",
            ),
        ),
        captions=(
            "Một pha tranh bóng trong giải bóng đá thiếu niên {noi}.",
            "Cổ động viên {noi} cổ vũ giải bóng đá.",
        ),
    ),
    Topic(
        key="nong-do-con",
        marker="nồng độ cồn",
        section="phap-luat",
        image="giao-thong",
        tags=("An toàn giao thông", "Pháp luật"),
        numbers=((30, 420), (5, 30)),
        titles=(
            "{ten} xử lý {a} trường hợp vi phạm nồng độ cồn",
            "Kiểm tra nồng độ cồn xuyên đêm ở {ten}",
        ),
        leads=(
            "Trong tháng {thang}/{nam}, công an {noi} lập biên bản {a} trường hợp điều khiển xe khi trong "
            "máu hoặc hơi thở có nồng độ cồn, tạm giữ {b} xe.",
            "Các tổ công tác của công an {noi} kiểm tra nồng độ cồn tại nhiều tuyến đường vào buổi tối, "
            "phát hiện {a} trường hợp vi phạm.",
        ),
        subheads=("Không có vùng cấm, không có ngoại lệ", "Đã uống rượu, bia thì không lái xe"),
        paragraphs=(
            (
                "Từ 19 giờ, các chốt kiểm tra nồng độ cồn của công an {noi} được lập ở những tuyến đường "
                "đông xe. Nhiều người điều khiển xe máy quay đầu khi thấy lực lượng chức năng.",
                "Một người vi phạm ở {noi} cho biết vừa dự tiệc cưới, nghĩ uống ít thì không sao. Kết quả "
                "đo nồng độ cồn vượt mức cho phép.",
            ),
            (
                "Theo quy định, người điều khiển phương tiện vi phạm có thể bị phạt tiền, tước giấy phép "
                "lái xe và tạm giữ xe. Công an {noi} đã tạm giữ {b} xe.",
                "Bên cạnh xử phạt, công an {noi} tuyên truyền tại các khu dân cư, đề nghị gia đình nhắc nhở "
                "người thân không lái xe sau khi uống rượu, bia.",
            ),
            (
                "Công an tỉnh {tinh} cho biết số vụ tai nạn giao thông ở {noi} liên quan đến rượu, bia đã "
                "giảm so với cùng kỳ năm trước.",
                "Ở {noi}, đợt cao điểm sẽ kéo dài đến hết năm {nam}, tập trung vào các ngày cuối tuần và "
                "dịp lễ.",
            ),
            (
                "Tổng cộng {a} trường hợp vi phạm nồng độ cồn ở {noi} đã bị lập biên bản trong đợt này.",
                "Công an {noi} công khai danh sách {b} trường hợp vi phạm nồng độ cồn để răn đe.",
            ),
        ),
        captions=(
            "Công an {noi} kiểm tra nồng độ cồn người điều khiển xe máy.",
            "Chốt kiểm tra nồng độ cồn ở {noi} vào buổi tối.",
        ),
    ),
    Topic(
        key="ocop",
        marker="OCOP",
        section="kinh-te",
        image="cho-que",
        tags=("Nông thôn mới", "OCOP"),
        numbers=((3, 18), (2, 5)),
        titles=(
            "{ten} có thêm {a} sản phẩm OCOP",
            "Sản phẩm OCOP của {ten} lên sàn thương mại điện tử",
        ),
        leads=(
            "Năm {nam}, {noi} có thêm {a} sản phẩm đạt chuẩn OCOP từ {b} sao, nâng giá trị nông sản địa "
            "phương.",
            "Từ mật ong, nước mắm đến chè xanh, {a} sản phẩm OCOP của {noi} đã có mặt trên các sàn thương "
            "mại điện tử.",
        ),
        subheads=("Từ đặc sản quê đến sản phẩm OCOP", "Bao bì, nhãn mác chỉn chu"),
        paragraphs=(
            (
                "Hợp tác xã ở {noi} đầu tư máy đóng gói, in tem truy xuất nguồn gốc để sản phẩm đạt chuẩn "
                "OCOP. Giá bán sản phẩm của {noi} cao hơn trước khoảng một phần ba.",
                "Chị Mai, giám đốc một hợp tác xã ở {noi}, cho biết sau khi có chứng nhận OCOP, đơn hàng từ "
                "các siêu thị tăng đều mỗi tháng.",
            ),
            (
                "Các sản phẩm được hội đồng đánh giá chấm điểm theo bộ tiêu chí, đạt từ {b} sao trở lên. "
                "{Noi} hỗ trợ thiết kế bao bì và quảng bá cho {a} sản phẩm.",
                "Nhiều hộ trẻ ở {noi} bán hàng trực tuyến, quay video giới thiệu quy trình làm ra sản phẩm "
                "để khách tin tưởng.",
            ),
            (
                "Chương trình OCOP là một phần của xây dựng nông thôn mới ở {noi} và tỉnh {tinh}, giúp nông "
                "dân có thu nhập ổn định hơn.",
                "Tỉnh {tinh} sẽ tổ chức hội chợ để các chủ thể OCOP của {noi} gặp gỡ nhà phân phối.",
            ),
            (
                "Năm tới, {noi} đặt mục tiêu có thêm sản phẩm OCOP đạt {b} sao từ cây trồng chủ lực.",
                "Với {a} sản phẩm OCOP, {noi} mở thêm điểm trưng bày ở trung tâm để giới thiệu với du khách.",
            ),
        ),
        captions=(
            "Sản phẩm OCOP của {noi} được trưng bày tại hội chợ.",
            "Đóng gói sản phẩm OCOP ở một hợp tác xã của {noi}.",
        ),
    ),
    Topic(
        key="hien-mau",
        marker="hiến máu",
        section="suc-khoe",
        image="y-te",
        tags=("Hiến máu tình nguyện", "Sức khỏe"),
        numbers=((120, 900), (80, 600)),
        titles=(
            "Ngày hội hiến máu ở {ten} tiếp nhận {a} đơn vị máu",
            "Hàng trăm người dân {ten} tham gia hiến máu tình nguyện",
        ),
        leads=(
            "Ngày hội hiến máu tình nguyện của {noi} tháng {thang}/{nam} tiếp nhận {a} đơn vị máu, bổ sung "
            "cho nhu cầu điều trị của các bệnh viện.",
            "Hơn {b} người dân, công nhân và sinh viên ở {noi} đăng ký hiến máu, góp {a} đơn vị máu cho "
            "người bệnh.",
        ),
        subheads=("Giọt máu đào, nghĩa tình sâu", "Lần đầu hiến máu"),
        paragraphs=(
            (
                "Từ sáng sớm, người dân {noi} đã xếp hàng làm thủ tục hiến máu. Nhiều người đã hiến máu hơn "
                "mười lần.",
                "Một sinh viên ở {noi} lần đầu hiến máu cho biết hơi lo lắng nhưng khi biết một đơn vị máu "
                "có thể cứu người bệnh, em thấy rất vui.",
            ),
            (
                "Mỗi người hiến máu được khám sức khỏe, xét nghiệm miễn phí và nhận giấy chứng nhận. Tổng "
                "cộng {a} đơn vị máu được tiếp nhận.",
                "Các nhà máy ở {noi} bố trí cho công nhân nghỉ ca để tham gia hiến máu, có xe đưa đón.",
            ),
            (
                "Ban chỉ đạo vận động hiến máu tình nguyện tỉnh {tinh} cảm ơn người dân {noi} và cho biết "
                "lượng máu dự trữ thường thiếu vào dịp hè và sau Tết.",
                "Ngày hội hiến máu sẽ được {noi} tổ chức mỗi năm hai lần.",
            ),
            (
                "Những người hiến máu nhiều lần ở {noi} được Ban chỉ đạo tặng giấy khen tại ngày hội.",
                "Trong năm {nam}, {noi} đặt mục tiêu tiếp nhận thêm {a} đơn vị máu qua các đợt hiến máu.",
            ),
        ),
        captions=(
            "Người dân {noi} tham gia hiến máu tình nguyện.",
            "Tình nguyện viên hiến máu tại ngày hội ở {noi}.",
        ),
    ),
)
